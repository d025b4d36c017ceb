/**
 * The umbrella's own templates: helpers (labels, the wiring check), the endpoints
 * ConfigMap with one entry per endpoint of each enabled component, and NOTES.txt. Values
 * are read with `index`/`dig` because component ids may contain dashes.
 */
import {
  GENERATED_NOTICE,
  switchPath,
  type UmbrellaComponent,
  type UmbrellaModel,
} from "./model.js";

/** `(index .Values "coffea-casa")` */
function valuesOf(id: string): string {
  return `(index .Values ${JSON.stringify(id)})`;
}

/**
 * The condition that a component is enabled: its switch `components.<id>.enabled`, true when
 * unset, as Helm decides a dependency whose condition path does not resolve.
 */
export function enabledExpr(id: string): string {
  return `(dig ${JSON.stringify(id)} "enabled" true .Values.components)`;
}

/**
 * Fails the render when `<id>.enabled` is set: the usual umbrella switch would reach the
 * component's chart, which ignores it (the component stays installed) or rejects it (strict
 * schemas); the message names the switch that works.
 */
function switchChecks(model: UmbrellaModel): string[] {
  return model.components.flatMap((c) => [
    `{{- if hasKey (${valuesOf(c.id)} | default dict) "enabled" }}`,
    `{{- fail ${JSON.stringify(`${model.name}: ${c.id}.enabled is handed to the ${c.displayName} chart, which does not use it; the switch is ${switchPath(c.id)} (--set ${switchPath(c.id)}=false)`)} }}`,
    "{{- end }}",
  ]);
}

function comment(text: string): string {
  return `{{- /* ${text} */}}`;
}

function wiringChecks(model: UmbrellaModel): string[] {
  return model.valueWiring
    .filter((w) => w.producerEnabled)
    .flatMap((w) => {
      const keys = w.path
        .split(".")
        .map((k) => JSON.stringify(k))
        .join(" ");
      const unset =
        w.quote === "none"
          ? `--set ${w.consumer}.${w.path}=""`
          : `--set-string ${w.consumer}.${w.path}='${w.unset}'`;
      const message = `${model.name}: ${w.consumer}.${w.path} is wired to ${w.producer} (${w.value}), but ${switchPath(w.producer)} is false; install with ${unset} (or point it elsewhere), or enable ${w.producer}`;
      return [
        `{{- if and ${enabledExpr(w.consumer)} (not ${enabledExpr(w.producer)}) }}`,
        `{{- if eq (toString (dig ${keys} "" ${valuesOf(w.consumer)})) ${JSON.stringify(w.value)} }}`,
        `{{- fail ${JSON.stringify(message)} }}`,
        "{{- end }}",
        "{{- end }}",
      ];
    });
}

/** templates/_helpers.tpl */
export function helpersTpl(model: UmbrellaModel): string {
  const n = model.name;
  return [
    comment(GENERATED_NOTICE),
    "",
    comment("Labels of the umbrella's own objects."),
    `{{- define "${n}.labels" -}}`,
    `helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}`,
    "app.kubernetes.io/name: {{ .Chart.Name }}",
    "app.kubernetes.io/instance: {{ .Release.Name }}",
    "app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}",
    "app.kubernetes.io/managed-by: {{ .Release.Service }}",
    `app.kubernetes.io/part-of: ${n}`,
    "{{- end }}",
    "",
    comment(
      "Fails the install when a value wired to a component's endpoint (stack.yaml consumes) still points at it while that component is disabled.",
    ),
    `{{- define "${n}.checkWiring" -}}`,
    ...wiringChecks(model),
    "{{- end }}",
    "",
    comment(
      "Fails the render when a component is switched with <id>.enabled instead of components.<id>.enabled.",
    ),
    `{{- define "${n}.checkSwitches" -}}`,
    ...switchChecks(model),
    "{{- end }}",
    "",
  ].join("\n");
}

function configMapEntries(c: UmbrellaComponent): string[] {
  if (c.endpoints.length === 0) return [];
  return [
    `  {{- if ${enabledExpr(c.id)} }}`,
    ...c.endpoints.map((e) => `  ${e.env}: ${JSON.stringify(e.template)}`),
    "  {{- end }}",
  ];
}

/** templates/endpoints-configmap.yaml */
export function endpointsConfigMap(model: UmbrellaModel): string {
  return [
    comment(GENERATED_NOTICE),
    comment(
      `One entry per endpoint of each enabled component, keyed by its environment variable name (usable with envFrom). The name is fixed so consumers need not know the release name.`,
    ),
    `{{- include "${model.name}.checkSwitches" . }}`,
    `{{- include "${model.name}.checkWiring" . }}`,
    `{{- if dig "endpoints" "create" true .Values.shoppe }}`,
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    `  name: ${model.endpointsConfigMap}`,
    "  namespace: {{ .Release.Namespace }}",
    "  labels:",
    `    {{- include "${model.name}.labels" . | nindent 4 }}`,
    "data:",
    ...model.components.flatMap(configMapEntries),
    "{{- end }}",
    "",
  ].join("\n");
}

/** Local ports for port-forwards: the Service port when unprivileged and free, else 8080 up. */
export function localPorts(model: UmbrellaModel): Map<string, number> {
  const used = new Set<number>();
  const out = new Map<string, number>();
  const next = (wanted: number | undefined) => {
    let p = wanted !== undefined && wanted >= 1024 && !used.has(wanted) ? wanted : 8080;
    while (used.has(p)) p++;
    used.add(p);
    return p;
  };
  for (const c of model.components) {
    for (const e of c.endpoints) {
      const key = `${e.service}:${e.port}`;
      if (e.port !== undefined && !out.has(key)) out.set(key, next(e.port));
    }
  }
  return out;
}

function notesFor(c: UmbrellaComponent, ports: Map<string, number>): string[] {
  const version = c.dependency
    ? ` (chart ${c.dependency.name} ${c.dependency.version}, app ${c.appVersion})`
    : "";
  const lines = [`{{- if ${enabledExpr(c.id)} }}`, "", `${c.displayName}${version}`];
  const forwarded = new Set<string>();
  for (const e of c.endpoints) {
    lines.push(`  ${e.env}=${e.template}`);
    const key = `${e.service}:${e.port}`;
    const local = ports.get(key);
    if (local !== undefined && !forwarded.has(key)) {
      forwarded.add(key);
      lines.push(
        `    kubectl --namespace {{ .Release.Namespace }} port-forward svc/${e.service} ${local}:${e.port}`,
      );
    }
  }
  lines.push("{{- end }}");
  return lines;
}

/** templates/NOTES.txt */
export function notesTxt(model: UmbrellaModel): string {
  const ports = localPorts(model);
  const disabled = model.components.map(
    (c) =>
      `{{- if not ${enabledExpr(c.id)} }}{{ $off = append $off ${JSON.stringify(c.id)} }}{{ end }}`,
  );
  return [
    comment(GENERATED_NOTICE),
    `${model.name} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.`,
    "",
    "Enabled components, their in-cluster endpoints and how to reach them from your machine:",
    ...model.components.flatMap((c) => notesFor(c, ports)),
    "",
    "{{- $off := list }}",
    ...disabled,
    "{{- if $off }}",
    "",
    `Disabled: {{ join ", " $off }}`,
    "{{- end }}",
    `{{- if dig "endpoints" "create" true .Values.shoppe }}`,
    "",
    `Every endpoint above is published in the ConfigMap ${model.endpointsConfigMap}:`,
    `  kubectl --namespace {{ .Release.Namespace }} get configmap ${model.endpointsConfigMap} -o yaml`,
    "{{- end }}",
    "{{- if .Values.global.domain }}",
    "",
    `Facility domain: {{ .Values.global.domain }}{{ with dig "ingress" "className" "" .Values.global }} (IngressClass {{ . }}){{ end }}`,
    "{{- end }}",
    "",
  ].join("\n");
}
