/**
 * The kwok provider: a real control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, all built from pinned sources) on 127.0.0.1, with nodes and pods simulated
 * by kwok. No container ever runs, so results are API-level (field note 18): objects are
 * validated, scheduled and reconciled for real, but no image is pulled and no probe runs.
 */
import { lstatSync, readdirSync } from "node:fs";
import { ShoppeError } from "../../../errors.js";
import {
  type ClusterState,
  defaultStateRoot,
  isLeftover,
  liveProcesses,
  STATE_FILE,
  StateStore,
  validateClusterName,
} from "../common/state.js";
import { teardownCluster } from "../common/teardown.js";
import type {
  Cluster,
  ClusterProvider,
  ClusterSummary,
  CreateClusterOptions,
  DeleteClusterResult,
  Detection,
  KubernetesPin,
  ProviderCapabilities,
  ProviderContext,
} from "../provider.js";
import { controlPlaneVersion, findBinaries, normalizeVersion } from "./binaries.js";
import { createKwokCluster } from "./create.js";

/** Options of the kwok provider. */
export interface KwokProviderOptions {
  /** Where cluster directories live; default `<root>/.shoppe/clusters`. */
  stateRoot?: string;
}

/** Status of one recorded cluster, checked now. */
export function clusterStatus(st: ClusterState): ClusterSummary["status"] {
  if (isLeftover(st)) return "leftover";
  if (st.phase === "creating") return "creating";
  const live = liveProcesses(st).length;
  if (live === 0) return "stopped";
  return live === st.processes.length ? "running" : "degraded";
}

/**
 * Whether `dir` is what a create leaves when killed between claiming the directory and writing
 * its state file: a directory holding nothing, or only that half-written file. Anything else
 * is not ours to remove.
 */
function abandonedClaim(dir: string): boolean {
  if (!lstatSync(dir).isDirectory()) return false;
  return readdirSync(dir).every((e) => e.startsWith(`${STATE_FILE}.`) && e.endsWith(".tmp"));
}

/** A directory younger than this without a state file is a create that just claimed it. */
const CLAIM_GRACE_MS = 30_000;

/** See the module comment. */
export class KwokProvider implements ClusterProvider {
  readonly name = "kwok";
  readonly capabilities: ProviderCapabilities = {
    runsContainers: false,
    realControlPlane: true,
    simulatedResources: true,
    ownsCluster: true,
  };
  readonly store: StateStore;

  constructor(
    private readonly ctx: ProviderContext,
    o: KwokProviderOptions = {},
  ) {
    this.store = new StateStore(o.stateRoot ?? defaultStateRoot(ctx.root));
  }

  async detect(): Promise<Detection> {
    const { missing } = findBinaries(this.ctx.root, this.ctx.env.PATH ?? "");
    if (missing.length === 0) return { available: true };
    return {
      available: false,
      reason: `missing ${missing.join(", ")}; run scripts/install-tools kube etcd kwok`,
    };
  }

  async canRun(pin: KubernetesPin): Promise<Detection> {
    const found = await this.detect();
    if (!found.available) return found;
    const { binaries } = findBinaries(this.ctx.root, this.ctx.env.PATH ?? "");
    try {
      const built = await controlPlaneVersion(
        this.ctx.runner,
        binaries["kube-apiserver"] as string,
      );
      if (built === normalizeVersion(pin.version)) return { available: true };
      return {
        available: false,
        reason: `the kwok control plane is built at ${built} (KUBE_VERSION in scripts/tool-versions.env), one version per checkout`,
      };
    } catch (err) {
      return { available: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  async create(options: CreateClusterOptions): Promise<Cluster> {
    return createKwokCluster(this.ctx, this.store, options, async () => {
      await this.reapLeftovers();
      this.claim(options.name);
    });
  }

  /** Takes the cluster's directory, clearing a stopped cluster of the same name first. */
  private claim(name: string): void {
    if (this.store.claim(name)) return;
    const st = this.store.read(name);
    if (!st) {
      const dir = this.store.dir(name);
      if (!abandonedClaim(dir)) {
        throw new ShoppeError(
          `failed to create cluster "${name}": ${dir} exists and holds no kwok cluster; remove it or pass another --name or --clusters-dir`,
        );
      }
      if (Date.now() - lstatSync(dir).mtimeMs < CLAIM_GRACE_MS) {
        throw new ShoppeError(`failed to create cluster "${name}": another run is creating it`);
      }
    } else {
      const status = clusterStatus(st);
      if (status !== "stopped") {
        throw new ShoppeError(
          `failed to create cluster "${name}": it already exists (${status}); delete it first with: shoppe cluster delete --provider kwok --name ${name}`,
        );
      }
    }
    this.store.remove(name);
    if (!this.store.claim(name)) {
      throw new ShoppeError(`failed to create cluster "${name}": another run is creating it`);
    }
  }

  async kubeconfig(name: string): Promise<string> {
    validateClusterName(name);
    const st = this.store.read(name);
    if (!st || st.provider !== this.name) throw this.notFound(name);
    return st.kubeconfig;
  }

  async delete(name: string): Promise<DeleteClusterResult> {
    validateClusterName(name);
    const st = this.store.read(name);
    if (!st || st.provider !== this.name) {
      return { name, found: false, stopped: [] };
    }
    st.phase = "deleting";
    this.store.write(st);
    const { stopped } = await teardownCluster(this.store, st, this.ctx.logger);
    return { name, found: true, stopped };
  }

  async list(): Promise<ClusterSummary[]> {
    return this.states().map((st) => ({
      name: st.name,
      provider: st.provider,
      status: clusterStatus(st),
      kubeconfig: st.kubeconfig,
      ...(st.server ? { server: st.server } : {}),
      ...(st.kubernetesVersion ? { kubernetesVersion: st.kubernetesVersion } : {}),
      lifetime: st.lifetime,
      stateDir: this.store.dir(st.name),
      processes: Object.fromEntries(liveProcesses(st).map((p) => [p.name, p.pid])),
    }));
  }

  /**
   * Stops and removes every leftover (see isLeftover): clusters whose creator died mid-create,
   * and session clusters whose creator is gone. Returns their names.
   */
  async reapLeftovers(): Promise<string[]> {
    const reaped: string[] = [];
    for (const st of this.states().filter(isLeftover)) {
      this.ctx.logger.info(
        `reaping leftover cluster "${st.name}" (its creator, pid ${st.owner.pid}, is gone)`,
      );
      await teardownCluster(this.store, st, this.ctx.logger);
      reaped.push(st.name);
    }
    return reaped;
  }

  private states(): ClusterState[] {
    return this.store
      .names()
      .map((n) => this.store.read(n))
      .filter((s): s is ClusterState => s?.provider === this.name);
  }

  private notFound(name: string): ShoppeError {
    const known = this.states().map((s) => s.name);
    const list = known.length ? known.join(", ") : "none";
    return new ShoppeError(
      `failed to find kwok cluster "${name}" in ${this.store.root}; known clusters: ${list}`,
    );
  }
}
