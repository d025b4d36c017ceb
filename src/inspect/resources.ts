/**
 * What a rendered chart asks of a cluster: CPU and memory requests and limits, GPUs
 * (`nvidia.com/gpu`) and persistent volume sizes, per workload times its replicas, summed per
 * component. Pod totals follow the scheduler: init containers run one at a time before the
 * app containers, so a pod needs the larger of the two phases; native sidecars run throughout.
 */
import type { KubeObject } from "../kube/objects.js";
import { objectRef } from "../kube/objects.js";
import { type AttributionScope, attribute } from "./attribution.js";
import { parseQuantity, QuantityError } from "./quantity.js";
import {
  containersOf,
  dig,
  type FoundContainer,
  hooksOf,
  isWorkload,
  replicasOf,
} from "./workloads.js";

/** The resource names summed, with the key they are reported under. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** Amounts in nano-units (see quantity.ts): cores, bytes, GPUs. */
export interface ResourceAmounts {
  cpuRequests: bigint;
  cpuLimits: bigint;
  memoryRequests: bigint;
  memoryLimits: bigint;
  gpus: bigint;
  storage: bigint;
}

/** One workload or volume claim and what it adds. */
export interface ResourceItem {
  component: string;
  object: string;
  replicas: number;
  /** DaemonSet: the amounts are per node. */
  perNode: boolean;
  /** Per pod (or per claim), before multiplying by replicas. */
  each: ResourceAmounts;
  total: ResourceAmounts;
}

/** Everything summed, per component and overall. */
export interface ResourceSummary {
  items: ResourceItem[];
  components: Record<string, ResourceAmounts & { pods: number }>;
  total: ResourceAmounts & { pods: number };
  /** Quantities that did not parse, hooks left out, per-node workloads: said, not hidden. */
  notes: string[];
}

/** All-zero amounts. */
export function zeroAmounts(): ResourceAmounts {
  return {
    cpuRequests: 0n,
    cpuLimits: 0n,
    memoryRequests: 0n,
    memoryLimits: 0n,
    gpus: 0n,
    storage: 0n,
  };
}

function add(a: ResourceAmounts, b: ResourceAmounts, times = 1n): ResourceAmounts {
  const out = zeroAmounts();
  for (const k of Object.keys(out) as (keyof ResourceAmounts)[]) out[k] = a[k] + b[k] * times;
  return out;
}

/** Reads one quantity of a container; requests default to limits, as the API server defaults them. */
function amount(
  c: FoundContainer,
  field: "requests" | "limits",
  name: string,
  notes: string[],
  where: string,
): bigint {
  const fromField = c.resources[field]?.[name];
  const raw = fromField ?? (field === "requests" ? c.resources.limits?.[name] : undefined);
  if (raw === undefined || raw === null) return 0n;
  try {
    return parseQuantity(raw as string | number);
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err;
    notes.push(`${where} ${c.path}.resources.${field}["${name}"]: ${err.message}`);
    return 0n;
  }
}

/** A pod's effective need for one resource: max(app + sidecars, each init + sidecars before it). */
function podNeed(containers: FoundContainer[], get: (c: FoundContainer) => bigint): bigint {
  let sidecars = 0n;
  let initPeak = 0n;
  let app = 0n;
  for (const c of containers) {
    if (c.list === "initContainers") {
      if (c.sidecar) sidecars += get(c);
      else initPeak = bigMax(initPeak, get(c) + sidecars);
    } else if (c.list === "containers") app += get(c);
  }
  return bigMax(app + sidecars, initPeak);
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** What one pod of a workload needs. */
function podAmounts(o: KubeObject, notes: string[]): ResourceAmounts {
  const cs = containersOf(o);
  const where = objectRef(o);
  const need = (field: "requests" | "limits", name: string) =>
    podNeed(cs, (c) => amount(c, field, name, notes, where));
  return {
    cpuRequests: need("requests", "cpu"),
    cpuLimits: need("limits", "cpu"),
    memoryRequests: need("requests", "memory"),
    memoryLimits: need("limits", "memory"),
    gpus: bigMax(need("limits", GPU_RESOURCE), need("requests", GPU_RESOURCE)),
    storage: 0n,
  };
}

function claimSize(claim: unknown, notes: string[], where: string): bigint {
  const raw = dig(claim, "spec", "resources", "requests", "storage");
  if (raw === undefined || raw === null) return 0n;
  try {
    return parseQuantity(raw as string | number);
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err;
    notes.push(`${where}: storage request: ${err.message}`);
    return 0n;
  }
}

/** The item an object contributes, or undefined when it asks for nothing countable. */
function itemOf(o: KubeObject, scope: AttributionScope, notes: string[]): ResourceItem | undefined {
  const component = attribute(o, scope).component;
  const ref = objectRef(o);
  if (o.kind === "PersistentVolumeClaim") {
    const each = { ...zeroAmounts(), storage: claimSize(o, notes, ref) };
    return { component, object: ref, replicas: 1, perNode: false, each, total: each };
  }
  if (!isWorkload(o)) return undefined;
  const { count, perNode } = replicasOf(o);
  const each = podAmounts(o, notes);
  if (o.kind === "StatefulSet") {
    const templates = dig(o, "spec", "volumeClaimTemplates");
    for (const t of Array.isArray(templates) ? templates : []) {
      each.storage += claimSize(
        t,
        notes,
        `${ref} volumeClaimTemplates/${String(dig(t, "metadata", "name"))}`,
      );
    }
  }
  if (perNode) notes.push(`${ref} is a DaemonSet: its amounts are per node and counted once`);
  return {
    component,
    object: ref,
    replicas: count,
    perNode,
    each,
    total: add(zeroAmounts(), each, BigInt(count)),
  };
}

/** Sums the resources of rendered objects per component. Helm hooks are left out (transient). */
export function summariseResources(
  objects: KubeObject[],
  scope: AttributionScope,
): ResourceSummary {
  const notes: string[] = [];
  const items: ResourceItem[] = [];
  for (const o of objects) {
    if (hooksOf(o).length > 0) {
      if (isWorkload(o))
        notes.push(`${objectRef(o)} is a helm hook (${hooksOf(o).join(",")}): left out`);
      continue;
    }
    const item = itemOf(o, scope, notes);
    if (item) items.push(item);
  }
  const components: ResourceSummary["components"] = {};
  let total = { ...zeroAmounts(), pods: 0 };
  for (const it of items) {
    const pods = it.object.startsWith("PersistentVolumeClaim/") ? 0 : it.replicas;
    // Own keys only: a component may be called `constructor`.
    const seen = Object.hasOwn(components, it.component) ? components[it.component] : undefined;
    const prev = seen ?? { ...zeroAmounts(), pods: 0 };
    components[it.component] = { ...add(prev, it.total), pods: prev.pods + pods };
    total = { ...add(total, it.total), pods: total.pods + pods };
  }
  return { items, components, total, notes };
}
