/**
 * Reading a rendered workload the way the kubelet would start it: the container's command and
 * arguments, its environment (values, ConfigMap and Secret references, `envFrom`, the
 * downward API fields a local process can answer, `$(VAR)` expansion), and the files its
 * ConfigMap and Secret volumes mount. The service tier starts the real server software from
 * exactly this, so what runs locally is what the chart configures.
 */
import { findObject, type KubeObject, podSpecOf } from "../../kube/objects.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects are loose data.
type Loose = any;

/** One volume mount of a container. */
export interface VolumeMount {
  volume: string;
  mountPath: string;
  subPath?: string | undefined;
  /** A ConfigMap or Secret volume's files (path in the volume → content). */
  files?: Map<string, string>;
}

/** A container of a rendered workload, ready to start as a process. */
export interface RenderedContainer {
  workload: string;
  name: string;
  image: string;
  command: string[];
  args: string[];
  env: Record<string, string>;
  /** Its volume mounts, with the files of ConfigMap and Secret volumes. */
  mounts: VolumeMount[];
  /** Declared container ports, by name ("" when unnamed). */
  ports: { name: string; containerPort: number }[];
}

/** Data of a ConfigMap or Secret (Secret data decoded), by key. */
export function dataOf(objects: KubeObject[], kind: "ConfigMap" | "Secret", name: string) {
  const o = findObject(objects, kind, name) as Loose;
  if (!o) throw new Error(`the rendered chart has no ${kind} ${name}`);
  const out: Record<string, string> = { ...(o.stringData ?? {}) };
  for (const [k, v] of Object.entries<string>(o.data ?? {})) {
    out[k] = kind === "Secret" ? Buffer.from(v, "base64").toString("utf8") : v;
  }
  return out;
}

/** `$(VAR)` references expanded as the kubelet does (`$$` escapes, unknown names kept). */
export function expand(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) =>
    m === "$$" ? "$" : name !== undefined && Object.hasOwn(env, name) ? (env[name] as string) : m,
  );
}

function resolveEnv(
  objects: KubeObject[],
  c: Loose,
  fields: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    const o = findObject(objects, kind, ref.name);
    if (!o && ref.optional) continue;
    if (!o) throw new Error(`envFrom names ${kind} ${ref.name}, which the chart does not render`);
    for (const [k, v] of Object.entries(dataOf(objects, kind, ref.name))) {
      env[`${from.prefix ?? ""}${k}`] = v;
    }
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) env[e.name] = expand(String(e.value ?? ""), env);
    else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      const kind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
      const found = findObject(objects, kind, ref.name);
      const value = found ? dataOf(objects, kind, ref.name)[ref.key] : undefined;
      if (value === undefined && !ref.optional) {
        throw new Error(
          `env ${e.name} names ${kind} ${ref.name} key ${ref.key}, which is not rendered`,
        );
      }
      if (value !== undefined) env[e.name] = value;
    } else if (vf.fieldRef) {
      const value = fields[vf.fieldRef.fieldPath];
      if (value === undefined)
        throw new Error(`env ${e.name}: no local value for ${vf.fieldRef.fieldPath}`);
      env[e.name] = value;
    }
  }
  return env;
}

/** The files of one ConfigMap or Secret volume source (`items` honoured). */
function sourceFiles(objects: KubeObject[], volume: string, v: Loose): [string, string][] {
  const ref = v.configMap ?? v.secret;
  const kind = v.configMap ? "ConfigMap" : "Secret";
  const name = ref.name ?? ref.secretName;
  const data = findObject(objects, kind, name) ? dataOf(objects, kind, name) : undefined;
  if (!data && !ref.optional) {
    throw new Error(`volume ${volume} names ${kind} ${name}, which the chart does not render`);
  }
  const items: { key: string; path: string }[] =
    ref.items ?? Object.keys(data ?? {}).map((key) => ({ key, path: key }));
  return items
    .filter((it) => data?.[it.key] !== undefined)
    .map((it) => [it.path, data?.[it.key] as string]);
}

function mountsOf(objects: KubeObject[], spec: Loose, c: Loose): VolumeMount[] {
  const volumes = new Map<string, Loose>((spec.volumes ?? []).map((v: Loose) => [v.name, v]));
  const out: VolumeMount[] = [];
  for (const m of c.volumeMounts ?? []) {
    const v = volumes.get(m.name);
    const mount: VolumeMount = { volume: m.name, mountPath: m.mountPath, subPath: m.subPath };
    if (v?.configMap || v?.secret) mount.files = new Map(sourceFiles(objects, m.name, v));
    else if (v?.projected) {
      // A projected volume merges its ConfigMap and Secret sources (other sources have no files here).
      const sources: Loose[] = (v.projected.sources ?? []).filter(
        (x: Loose) => x.configMap || x.secret,
      );
      mount.files = new Map(sources.flatMap((x) => sourceFiles(objects, m.name, x)));
    }
    out.push(mount);
  }
  return out;
}

/** The container `container` of workload `kind`/`name`, resolved (see the module comment). */
export function renderedContainer(
  objects: KubeObject[],
  kind: string,
  name: string,
  container: string,
  fields: Record<string, string> = {},
): RenderedContainer {
  const w = findObject(objects, kind, name);
  if (!w) throw new Error(`the rendered chart has no ${kind} ${name}`);
  const spec = podSpecOf(w) as Loose;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const c = all.find((x: Loose) => x.name === container);
  if (!c) throw new Error(`${kind} ${name} has no container ${container}`);
  const env = resolveEnv(objects, c, fields);
  return {
    workload: `${kind}/${name}`,
    name: container,
    image: c.image,
    command: (c.command ?? []).map((s: string) => expand(s, env)),
    args: (c.args ?? []).map((s: string) => expand(s, env)),
    env,
    mounts: mountsOf(objects, spec, c),
    ports: (c.ports ?? []).map((p: Loose) => ({
      name: p.name ?? "",
      containerPort: p.containerPort,
    })),
  };
}

/** The init containers of a workload, in order: the service tier runs them first. */
export function initContainerNames(objects: KubeObject[], kind: string, name: string): string[] {
  const w = findObject(objects, kind, name);
  const spec = (w ? podSpecOf(w) : undefined) as Loose;
  return (spec?.initContainers ?? []).map((c: Loose) => c.name as string);
}

/** A Service's ports: port → targetPort (resolved against `c`'s named ports). */
export function servicePorts(
  objects: KubeObject[],
  service: string,
): { port: number; target: number | string }[] {
  const s = findObject(objects, "Service", service) as Loose;
  if (!s) throw new Error(`the rendered chart has no Service ${service}`);
  return (s.spec.ports ?? []).map((p: Loose) => ({ port: p.port, target: p.targetPort ?? p.port }));
}
