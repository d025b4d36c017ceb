/**
 * The kind provider: real nodes as containers, for CI runners with a container engine (GitHub
 * Actions). It shells out to the pinned `kind` through the runner (src/tools/kind.ts) with a
 * generated config (config.ts). It never pretends: without kind, without an engine that
 * answers, or without a node image pinned by digest for the version, it refuses saying which.
 * Node sizes are the host's, so resource options are refused rather than silently ignored.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { CommandError, ShoppeError, ToolError, UsageError } from "../../../errors.js";
import { Kind } from "../../../tools/kind.js";
import { locate } from "../../../tools/locate.js";
import { defaultStateRoot, StateStore, validateClusterName } from "../common/state.js";
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
import { kindConfig, nodeImageVersion } from "./config.js";

/**
 * The config create writes into the cluster's directory: also the mark of a cluster shoppe
 * created, so delete never removes a kind cluster (or a directory) someone else made.
 */
const CONFIG_FILE = "kind.yaml";

/** Options of the kind provider. */
export interface KindProviderOptions {
  /** Where kind configs and kubeconfigs are written; default `<root>/.shoppe/clusters`. */
  stateRoot?: string;
}

/** See the module comment. */
export class KindProvider implements ClusterProvider {
  readonly name = "kind";
  readonly capabilities: ProviderCapabilities = {
    runsContainers: true,
    realControlPlane: true,
    simulatedResources: false,
    ownsCluster: true,
  };
  private readonly store: StateStore;

  constructor(
    private readonly ctx: ProviderContext,
    o: KindProviderOptions = {},
  ) {
    this.store = new StateStore(o.stateRoot ?? defaultStateRoot(ctx.root));
  }

  private kindPath(): string | undefined {
    return locate(this.ctx.root, "kind", this.ctx.env.PATH ?? "")?.path;
  }

  async detect(): Promise<Detection> {
    if (!this.kindPath())
      return {
        available: false,
        reason:
          "kind is not installed (not in .tools/bin nor on PATH; run scripts/install-tools kind)",
      };
    const docker = locate(this.ctx.root, "docker", this.ctx.env.PATH ?? "")?.path;
    if (!docker)
      return { available: false, reason: "no container engine: docker is not installed" };
    try {
      await this.ctx.runner.run(docker, ["info", "--format", "{{.ServerVersion}}"], {
        timeoutMs: 15_000,
      });
      return { available: true };
    } catch (err) {
      const why =
        err instanceof CommandError ? (err.output.split("\n").at(-1) ?? err.message) : String(err);
      return {
        available: false,
        reason: `no container engine answers (docker info failed: ${why})`,
      };
    }
  }

  async canRun(pin: KubernetesPin): Promise<Detection> {
    if (!pin.kindNodeImage) {
      return {
        available: false,
        reason: `no kind node image is pinned for Kubernetes ${pin.version} (stack.yaml kubernetes.versions[].kindNodeImage, kindest/node:v${pin.version}@sha256:… from kind's release notes)`,
      };
    }
    return { available: true };
  }

  private async requireKind(action: string): Promise<Kind> {
    const d = await this.detect();
    const binary = this.kindPath();
    if (!d.available || !binary) {
      throw new ToolError(
        "kind",
        `failed to ${action} with kind: ${d.reason}; use --provider kwok on machines without a container engine`,
      );
    }
    return new Kind(this.ctx.runner, binary);
  }

  private dir(name: string): string {
    return this.store.dir(name);
  }

  /** Whether shoppe created kind cluster `name` from this state root (it wrote the config). */
  private owns(name: string): boolean {
    return existsSync(path.join(this.dir(name), CONFIG_FILE));
  }

  private kubeconfigPath(name: string): string {
    return path.join(this.dir(name), "kubeconfig");
  }

  /** The node image to run, checked against the requested version before anything starts. */
  private nodeImage(o: CreateClusterOptions): string {
    if (o.nodeResources && Object.keys(o.nodeResources).length > 0) {
      throw new UsageError(
        "kind nodes have the host's CPU, memory and GPUs; node resource options work with --provider kwok only",
      );
    }
    const image = o.nodeImage;
    const version = image ? nodeImageVersion(image) : undefined;
    if (!image || !version) {
      throw new UsageError(
        `failed to create cluster "${o.name}" with kind: ${image ? `"${image}" is not kindest/node:v<version>@sha256:<digest>` : "no node image given"}; kind runs the Kubernetes of its node image, pinned by digest in stack.yaml (kubernetes.versions[].kindNodeImage)`,
      );
    }
    const wanted = o.kubernetesVersion?.replace(/^v?/, "v");
    if (wanted && wanted !== version) {
      throw new UsageError(
        `failed to create cluster "${o.name}" with kind: Kubernetes ${wanted} was requested but the node image is ${version}`,
      );
    }
    return image;
  }

  async create(o: CreateClusterOptions): Promise<Cluster> {
    validateClusterName(o.name);
    const image = this.nodeImage(o);
    const kind = await this.requireKind(`create cluster "${o.name}"`);
    // Refused before anything starts: the cleanup of a failed create below deletes the kind
    // cluster of that name and the directory, which must then be this run's own.
    if ((await kind.clusters()).includes(o.name)) {
      throw new ShoppeError(
        `failed to create cluster "${o.name}" with kind: a kind cluster of that name exists; ${this.deleteHint(o.name)}`,
      );
    }
    const dir = this.dir(o.name);
    if (!this.store.claim(o.name)) {
      throw new ShoppeError(
        `failed to create cluster "${o.name}" with kind: ${dir} exists; remove it or pass another --name or --clusters-dir`,
      );
    }
    const config = path.join(dir, CONFIG_FILE);
    writeFileSync(config, kindConfig({ name: o.name, nodes: o.nodes ?? 1, nodeImage: image }));
    const kubeconfig = this.kubeconfigPath(o.name);
    try {
      await kind.createCluster(o.name, { config, kubeconfig, signal: o.signal });
      const nodes = await kind.nodes(o.name);
      return {
        name: o.name,
        provider: this.name,
        kubeconfig,
        server: serverOf(kubeconfig),
        kubernetesVersion: nodeImageVersion(image) as string,
        nodes,
        stateDir: dir,
      };
    } catch (err) {
      // kind removes what it created when it fails by itself, not when it is killed mid-way.
      await kind.deleteCluster(o.name, kubeconfig).catch((e: unknown) => {
        this.ctx.logger.warn(`failed to delete kind cluster "${o.name}": ${String(e)}`);
      });
      this.store.remove(o.name);
      if (o.signal?.aborted) {
        throw new ShoppeError(
          `failed to create cluster "${o.name}" with kind: interrupted; its containers were deleted`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async kubeconfig(name: string): Promise<string> {
    const kind = await this.requireKind(`read the kubeconfig of "${name}"`);
    const file = this.kubeconfigPath(name);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await kind.exportKubeconfig(name, file);
    return file;
  }

  /** What to run to delete kind cluster `name`: ours through shoppe, anyone else's by hand. */
  private deleteHint(name: string): string {
    return this.owns(name)
      ? `delete it first with: shoppe cluster delete --provider kind --name ${name}`
      : `shoppe did not create it; pass another --name, or delete it yourself with: kind delete cluster --name ${name}`;
  }

  /** Deletes only a cluster shoppe created here; another kind cluster of that name is refused. */
  async delete(name: string): Promise<DeleteClusterResult> {
    validateClusterName(name);
    const kind = await this.requireKind(`delete cluster "${name}"`);
    const found = (await kind.clusters()).includes(name);
    if (!this.owns(name)) {
      if (!found) return { name, found: false, stopped: [] };
      throw new ShoppeError(
        `failed to delete cluster "${name}" with kind: ${path.join(this.dir(name), CONFIG_FILE)} is missing, so shoppe did not create it here and leaves it alone; delete it yourself with: kind delete cluster --name ${name}`,
      );
    }
    if (found) await kind.deleteCluster(name, this.kubeconfigPath(name));
    this.store.remove(name);
    return { name, found, stopped: found ? [name] : [] };
  }

  async list(): Promise<ClusterSummary[]> {
    const kind = await this.requireKind("list clusters");
    return (await kind.clusters()).map((name) => ({
      name,
      provider: this.name,
      status: "running" as const,
      ...(existsSync(this.kubeconfigPath(name)) ? { kubeconfig: this.kubeconfigPath(name) } : {}),
    }));
  }
}

/** The API server URL of a kubeconfig's current context ("" when it names none). */
function serverOf(kubeconfig: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.getCurrentCluster()?.server ?? "";
}
