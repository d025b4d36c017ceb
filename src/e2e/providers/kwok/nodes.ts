/**
 * The Node objects kwok simulates. kwok manages only nodes carrying its annotation, so a
 * cluster could mix in real nodes; capacity and allocatable come from the options (kwok keeps
 * what the object says and fills in conditions, addresses and heartbeats).
 */
import type { V1Node } from "@kubernetes/client-node";
import { InputError } from "../../../errors.js";
import type { NodeResources } from "../provider.js";

/** The annotation kwok is told to manage nodes by (`--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

/** The extended resource name of NVIDIA GPUs, as the device plugin advertises it. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** Defaults: a mid-size worker without GPUs. */
export const DEFAULT_NODE_RESOURCES: NodeResources = {
  cpu: "8",
  memory: "32Gi",
  pods: 110,
  gpus: 0,
};

const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** Merges `partial` over the defaults and rejects values Kubernetes would not take. */
export function resolveNodeResources(partial: Partial<NodeResources> = {}): NodeResources {
  const r = { ...DEFAULT_NODE_RESOURCES, ...partial };
  const bad: string[] = [];
  if (!QUANTITY.test(r.cpu)) bad.push(`cpu "${r.cpu}" is not a quantity (e.g. 8, 3500m)`);
  if (!QUANTITY.test(r.memory)) bad.push(`memory "${r.memory}" is not a quantity (e.g. 32Gi)`);
  if (!Number.isInteger(r.pods) || r.pods < 1) bad.push(`pods ${r.pods} is not a positive integer`);
  if (!Number.isInteger(r.gpus) || r.gpus < 0) bad.push(`gpus ${r.gpus} is not a whole number ≥ 0`);
  if (bad.length) throw new InputError(`invalid node resources: ${bad.join("; ")}`);
  return r;
}

/** The name of node `index` of cluster `cluster`. */
export function nodeName(cluster: string, index: number): string {
  return `${cluster}-node-${index}`;
}

/** A made-up InternalIP for node `index` (never routed anywhere; kubectl shows it). */
export function nodeIp(index: number): string {
  return `10.200.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/** A Node object for kwok to manage, with the given capacity and address. */
export function kwokNode(name: string, r: NodeResources, ip: string): V1Node {
  const resources: Record<string, string> = {
    cpu: r.cpu,
    memory: r.memory,
    pods: String(r.pods),
    ...(r.gpus > 0 ? { [GPU_RESOURCE]: String(r.gpus) } : {}),
  };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node.kubernetes.io/instance-type": "kwok",
        type: "kwok",
        ...(r.gpus > 0 ? { "nvidia.com/gpu.present": "true" } : {}),
      },
    },
    spec: {},
    status: {
      allocatable: resources,
      capacity: resources,
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: name },
      ],
    },
  };
}
