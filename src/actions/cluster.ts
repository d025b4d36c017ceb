/**
 * `shoppe cluster create|delete|list`: local test clusters through a named provider. Results
 * are data; the CLI prints them. A kwok cluster's capabilities travel with the result, so
 * whoever reads it knows that nothing ran in a container (field note 18).
 */
import path from "node:path";
import type { Context } from "../context.js";
import type {
  Cluster,
  ClusterSummary,
  CreateClusterOptions,
  DeleteClusterResult,
  ProviderCapabilities,
} from "../e2e/providers/provider.js";
import { getProvider } from "../e2e/providers/registry.js";
import { UsageError } from "../errors.js";

/** Which provider, and where its local state lives. */
export interface ClusterTarget {
  provider: string;
  /** Default `<root>/.shoppe/clusters`. */
  stateDir?: string;
}

/** Options of clusterCreate. */
export type ClusterCreateOptions = ClusterTarget & CreateClusterOptions;

/** What clusterCreate returns. */
export interface ClusterCreateResult {
  cluster: Cluster;
  capabilities: ProviderCapabilities;
  /** What results on this cluster can and cannot prove. */
  note: string;
}

/** What clusterList returns. */
export interface ClusterListResult {
  provider: string;
  clusters: ClusterSummary[];
}

function provider(ctx: Context, t: ClusterTarget) {
  if (t.provider === "existing") {
    throw new UsageError(
      "the existing provider uses a cluster you already have and never creates or deletes one; shoppe cluster manages local clusters (kwok, kind)",
    );
  }
  const stateRoot = t.stateDir ? path.resolve(ctx.root, t.stateDir) : undefined;
  return getProvider(t.provider, ctx, stateRoot ? { stateRoot } : {});
}

/** Creates a cluster that keeps running after this process exits, until clusterDelete. */
export async function clusterCreate(
  ctx: Context,
  o: ClusterCreateOptions,
): Promise<ClusterCreateResult> {
  const p = provider(ctx, o);
  const { provider: _p, stateDir: _s, ...create } = o;
  const cluster = await p.create({ lifetime: "persistent", ...create });
  const note = p.capabilities.runsContainers
    ? "nodes run real containers"
    : "API-level only: nodes and pods are simulated, no container runs; a Running pod proves scheduling and reconciliation, never that the workload works";
  return { cluster, capabilities: p.capabilities, note };
}

/** Deletes a cluster; deleting one that does not exist reports found: false. */
export async function clusterDelete(
  ctx: Context,
  o: ClusterTarget & { name: string },
): Promise<DeleteClusterResult> {
  return provider(ctx, o).delete(o.name);
}

/** Lists the provider's clusters with their liveness. */
export async function clusterList(ctx: Context, o: ClusterTarget): Promise<ClusterListResult> {
  return { provider: o.provider, clusters: await provider(ctx, o).list() };
}
