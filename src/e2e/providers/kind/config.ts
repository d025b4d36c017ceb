/**
 * The kind cluster configuration, built purely from the options so tests can check it without
 * a container engine: one control-plane node and the requested workers, every node on the node
 * image pinned by digest in stack.yaml, the API server on 127.0.0.1 only.
 */
import { stringify } from "yaml";
import { UsageError } from "../../../errors.js";

/** What the config is made from. */
export interface KindConfigOptions {
  name: string;
  /** Nodes in all, the control plane included; default 1. */
  nodes?: number;
  /** `[registry/]kindest/node:vX.Y.Z@sha256:…`. */
  nodeImage: string;
}

const MAX_NODES = 10;

/** The kind `Cluster` document (kind.x-k8s.io/v1alpha4) as YAML. */
export function kindConfig(o: KindConfigOptions): string {
  const nodes = o.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new UsageError(
      `invalid node count ${nodes} for kind: expected a whole number from 1 to ${MAX_NODES}`,
    );
  }
  const node = (role: string) => ({ role, image: o.nodeImage });
  return stringify({
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: o.name,
    // Loopback only: nothing off this machine reaches the cluster's API server.
    networking: { apiServerAddress: "127.0.0.1" },
    nodes: [node("control-plane"), ...Array.from({ length: nodes - 1 }, () => node("worker"))],
  });
}

/**
 * The Kubernetes version a node image is for: `kindest/node:v1.35.4@sha256:…` → `v1.35.4`;
 * a registry holding a copy may come first (`registry.example/kindest/node:v1.35.4@…`).
 */
export function nodeImageVersion(image: string): string | undefined {
  return /^(?:[^/@]+\/)?kindest\/node:(v\d+\.\d+\.\d+)@sha256:[a-f0-9]{64}$/.exec(image)?.[1];
}
