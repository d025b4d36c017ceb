/**
 * The workloads of a rendered chart and their containers: which kinds run pods, how many pod
 * copies each asks for, and every container of every list (containers, initContainers,
 * ephemeralContainers), each named by a path a person can find in the manifest.
 */
import { type KubeObject, podSpecOf } from "../kube/objects.js";

/** Kinds that run pods, and so deploy images and consume resources. */
export const WORKLOAD_KINDS = new Set([
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
  "CronJob",
]);

/** The container lists of a pod spec, in the order Kubernetes starts them. */
export const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

/** Which list a container is in. */
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** One container as found in a workload. */
export interface FoundContainer {
  list: ContainerList;
  index: number;
  name: string;
  image: string | undefined;
  /** Native sidecar: an init container with restartPolicy Always runs beside the app. */
  sidecar: boolean;
  resources: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  /** Path inside the object, e.g. `spec.template.spec.initContainers[0]`. */
  path: string;
}

/** Safe navigation into parsed YAML: `dig(o, "spec", "replicas")`; undefined when absent. */
export function dig(value: unknown, ...keys: (string | number)[]): unknown {
  let cur = value;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[String(k)];
  }
  return cur;
}

/** True for objects that run pods. */
export function isWorkload(o: KubeObject): boolean {
  return WORKLOAD_KINDS.has(o.kind);
}

/** The `helm.sh/hook` annotation, split into its hook names ([] when not a hook). */
export function hooksOf(o: KubeObject): string[] {
  const raw = o.metadata.annotations?.["helm.sh/hook"];
  return raw
    ? raw
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean)
    : [];
}

/** True for `helm test` pods and jobs: deployed only when someone runs `helm test`. */
export function isTestHook(o: KubeObject): boolean {
  return hooksOf(o).some((h) => h === "test" || h === "test-success" || h === "test-failure");
}

function podSpecPath(kind: string): string {
  if (kind === "Pod") return "spec";
  if (kind === "CronJob") return "spec.jobTemplate.spec.template.spec";
  return "spec.template.spec";
}

/** Every container of a workload (none for other kinds). */
export function containersOf(o: KubeObject): FoundContainer[] {
  if (!isWorkload(o)) return [];
  const spec = podSpecOf(o) as Record<string, unknown> | undefined;
  if (!spec) return [];
  const base = podSpecPath(o.kind);
  const out: FoundContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c: unknown, index) => {
      const image = dig(c, "image");
      out.push({
        list,
        index,
        name: String(dig(c, "name") ?? `#${index}`),
        image: typeof image === "string" ? image : undefined,
        sidecar: list === "initContainers" && dig(c, "restartPolicy") === "Always",
        resources: (dig(c, "resources") ?? {}) as FoundContainer["resources"],
        path: `${base}.${list}[${index}]`,
      });
    });
  }
  return out;
}

/** How many pod copies a workload asks for, and whether that number is per node. */
export interface ReplicaCount {
  count: number;
  /** DaemonSets run one pod per matching node; the count is then per node. */
  perNode: boolean;
}

/** The replicas of a workload: spec.replicas (default 1), Job parallelism, 1 per node for DaemonSets. */
export function replicasOf(o: KubeObject): ReplicaCount {
  const num = (v: unknown, d: number) =>
    typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d;
  switch (o.kind) {
    case "Deployment":
    case "StatefulSet":
    case "ReplicaSet":
    case "ReplicationController":
      return { count: num(dig(o, "spec", "replicas"), 1), perNode: false };
    case "DaemonSet":
      return { count: 1, perNode: true };
    case "Job":
      return { count: num(dig(o, "spec", "parallelism"), 1), perNode: false };
    case "CronJob":
      return {
        count: num(dig(o, "spec", "jobTemplate", "spec", "parallelism"), 1),
        perNode: false,
      };
    default:
      return { count: 1, perNode: false };
  }
}
