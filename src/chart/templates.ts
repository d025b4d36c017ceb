/**
 * The umbrella's own templates: helpers (labels, the wiring check), the endpoints
 * ConfigMap with one entry per endpoint of each enabled component, and NOTES.txt. Values
 * are read with `index`/`dig` because component ids may contain dashes. Text from stack.yaml
 * reaches a template only through escape/template.ts (and escape/yaml.ts inside YAML), so it
 * is printed, never executed.
 */
import { goString, templateComment, templateText, withPlaceholders } from "./escape/template.js";
import { yamlDoubleQuotedBody, yamlInline } from "./escape/yaml.js";
import {
  GENERATED_NOTICE,
  switchPath,
  type UmbrellaComponent,
  type UmbrellaEndpoint,
  type UmbrellaModel,
} from "./model.js";

/** `(index .Values "coffea-casa")` */
function valuesOf(id: string): string {
  return `(index .Values ${goString(id)})`;
}

/**
 * The condition that a component is enabled: its switch `components.<id>.enabled`, true when
 * unset, as Helm decides a dependency whose condition path does not resolve.
 */
export function enabledExpr(id: string): string {
  return `(dig ${goString(id)} "enabled" true .Values.components)`;
}

/** `{{- include "<name>.<what>" . }}`-style reference to a named template of the umbrella. */
function templateName(model: UmbrellaModel, what: string): string {
  return goString(`${model.name}.${what}`);
}

/**
 * Fails the render when `<id>.enabled` is set: the usual umbrella switch would reach the
 * component's chart, which ignores it (the component stays installed) or rejects it (strict
 * schemas); the message names the switch that works.
 */
function switchChecks(model: UmbrellaModel): string[] {
  return model.components.flatMap((c) => [
    `{{- if hasKey (${valuesOf(c.id)} | default dict) "enabled" }}`,
    `{{- fail ${goString(`${model.name}: ${c.id}.enabled is handed to the ${c.displayName} chart, which does not use it; the switch is ${switchPath(c.id)} (--set ${switchPath(c.id)}=false)`)} }}`,
    "{{- end }}",
  ]);
}

function wiringChecks(model: UmbrellaModel): string[] {
  return model.valueWiring
    .filter((w) => w.producerEnabled)
    .flatMap((w) => {
      const keys = w.path.split(".").map(goString).join(" ");
      const unset =
        w.quote === "none"
          ? `--set ${w.consumer}.${w.path}=""`
          : `--set-string ${w.consumer}.${w.path}='${w.unset}'`;
      const message = `${model.name}: ${w.consumer}.${w.path} is wired to ${w.producer} (${w.value}), but ${switchPath(w.producer)} is false; install with ${unset} (or point it elsewhere), or enable ${w.producer}`;
      return [
        `{{- if and ${enabledExpr(w.consumer)} (not ${enabledExpr(w.producer)}) }}`,
        `{{- if eq (toString (dig ${keys} "" ${valuesOf(w.consumer)})) ${goString(w.value)} }}`,
        `{{- fail ${goString(message)} }}`,
        "{{- end }}",
        "{{- end }}",
      ];
    });
}

/** templates/_helpers.tpl */
export function helpersTpl(model: UmbrellaModel): string {
  return [
    templateComment(GENERATED_NOTICE),
    "",
    templateComment("Labels of the umbrella's own objects."),
    `{{- define ${templateName(model, "labels")} -}}`,
    `helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}`,
    "app.kubernetes.io/name: {{ .Chart.Name }}",
    "app.kubernetes.io/instance: {{ .Release.Name }}",
    "app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}",
    "app.kubernetes.io/managed-by: {{ .Release.Service }}",
    `app.kubernetes.io/part-of: ${templateText(yamlInline(model.name))}`,
    "{{- end }}",
    "",
    templateComment(
      "Fails the install when a value wired to a component's endpoint (stack.yaml consumes) still points at it while that component is disabled.",
    ),
    `{{- define ${templateName(model, "checkWiring")} -}}`,
    ...wiringChecks(model),
    "{{- end }}",
    "",
    templateComment(
      "Fails the render when a component is switched with <id>.enabled instead of components.<id>.enabled.",
    ),
    `{{- define ${templateName(model, "checkSwitches")} -}}`,
    ...switchChecks(model),
    "{{- end }}",
    "",
  ].join("\n");
}

/** An endpoint's published text as a double-quoted YAML string assembled by the template. */
function yamlEndpoint(e: UmbrellaEndpoint): string {
  return `"${withPlaceholders(e.published, (part) => templateText(yamlDoubleQuotedBody(part)))}"`;
}

function configMapEntries(c: UmbrellaComponent): string[] {
  if (c.endpoints.length === 0) return [];
  return [
    `  {{- if ${enabledExpr(c.id)} }}`,
    ...c.endpoints.map((e) => `  ${templateText(yamlInline(e.env))}: ${yamlEndpoint(e)}`),
    "  {{- end }}",
  ];
}

/** templates/endpoints-configmap.yaml */
export function endpointsConfigMap(model: UmbrellaModel): string {
  return [
    templateComment(GENERATED_NOTICE),
    templateComment(
      `One entry per endpoint of each enabled component, keyed by its environment variable name (usable with envFrom). The name is fixed so consumers need not know the release name.`,
    ),
    `{{- include ${templateName(model, "checkSwitches")} . }}`,
    `{{- include ${templateName(model, "checkWiring")} . }}`,
    `{{- if dig "endpoints" "create" true .Values.shoppe }}`,
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    `  name: ${templateText(yamlInline(model.endpointsConfigMap))}`,
    "  namespace: {{ .Release.Namespace }}",
    "  labels:",
    `    {{- include ${templateName(model, "labels")} . | nindent 4 }}`,
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
  const lines = [`{{- if ${enabledExpr(c.id)} }}`, "", templateText(`${c.displayName}${version}`)];
  const forwarded = new Set<string>();
  for (const e of c.endpoints) {
    lines.push(`  ${templateText(e.env)}=${withPlaceholders(e.published)}`);
    const key = `${e.service}:${e.port}`;
    const local = ports.get(key);
    if (local !== undefined && !forwarded.has(key)) {
      forwarded.add(key);
      lines.push(
        `    kubectl --namespace {{ .Release.Namespace }} port-forward svc/${withPlaceholders(e.service)} ${local}:${e.port}`,
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
    (c) => `{{- if not ${enabledExpr(c.id)} }}{{ $off = append $off ${goString(c.id)} }}{{ end }}`,
  );
  const name = templateText(model.name);
  const configMap = templateText(model.endpointsConfigMap);
  return [
    templateComment(GENERATED_NOTICE),
    `${name} {{ .Chart.Version }} is installed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.`,
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
    `Every endpoint above is published in the ConfigMap ${configMap}:`,
    `  kubectl --namespace {{ .Release.Namespace }} get configmap ${configMap} -o yaml`,
    "{{- end }}",
    "{{- if .Values.global.domain }}",
    "",
    `Facility domain: {{ .Values.global.domain }}{{ with dig "ingress" "className" "" .Values.global }} (IngressClass {{ . }}){{ end }}`,
    "{{- end }}",
    "",
  ].join("\n");
}
