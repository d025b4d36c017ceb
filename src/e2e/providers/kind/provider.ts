/**
 * The kind provider: real nodes as containers, for CI runners with a container engine (GitHub
 * Actions). It shells out to `kind` through the runner. It never pretends: without the kind
 * binary or a reachable container engine, `create` fails saying which is missing. Node sizes
 * are the host's, so resource options are refused rather than silently ignored.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { CommandError, ToolError, UsageError } from "../../../errors.js";
import { locate } from "../../../tools/locate.js";
import { defaultStateRoot, validateClusterName } from "../common/state.js";
import type {
  Cluster,
  ClusterProvider,
  ClusterSummary,
  CreateClusterOptions,
  DeleteClusterResult,
  Detection,
  ProviderCapabilities,
  ProviderContext,
} from "../provider.js";

/** Options of the kind provider. */
export interface KindProviderOptions {
  /** Where kubeconfigs of kind clusters are written; default `<root>/.shoppe/clusters`. */
  stateRoot?: string;
}

/** See the module comment. */
export class KindProvider implements ClusterProvider {
  readonly name = "kind";
  readonly capabilities: ProviderCapabilities = {
    runsContainers: true,
    realControlPlane: true,
    simulatedResources: false,
  };
  private readonly stateRoot: string;

  constructor(
    private readonly ctx: ProviderContext,
    o: KindProviderOptions = {},
  ) {
    this.stateRoot = o.stateRoot ?? defaultStateRoot(ctx.root);
  }

  private kind(): string | undefined {
    return locate(this.ctx.root, "kind", this.ctx.env.PATH ?? "")?.path;
  }

  async detect(): Promise<Detection> {
    const kind = this.kind();
    if (!kind)
      return { available: false, reason: "kind is not installed (not in .tools/bin nor on PATH)" };
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

  private async requireKind(action: string): Promise<string> {
    const d = await this.detect();
    const kind = this.kind();
    if (!d.available || !kind) {
      throw new ToolError(
        "kind",
        `failed to ${action} with kind: ${d.reason}; use --provider kwok on machines without a container engine`,
      );
    }
    return kind;
  }

  private kubeconfigPath(name: string): string {
    return path.join(this.stateRoot, name, "kubeconfig");
  }

  async create(o: CreateClusterOptions): Promise<Cluster> {
    validateClusterName(o.name);
    if (o.nodeResources && Object.keys(o.nodeResources).length > 0) {
      throw new UsageError(
        "kind nodes have the host's CPU, memory and GPUs; node resource options work with --provider kwok only",
      );
    }
    if (o.kubernetesVersion) {
      throw new UsageError(
        "kind picks the Kubernetes version through a node image pinned by digest, which this provider does not take yet; omit --kubernetes-version",
      );
    }
    const kind = await this.requireKind(`create cluster "${o.name}"`);
    const dir = path.join(this.stateRoot, o.name);
    mkdirSync(dir, { recursive: true });
    const workers = Math.max(0, (o.nodes ?? 1) - 1);
    const config = path.join(dir, "kind.yaml");
    writeFileSync(
      config,
      stringify({
        kind: "Cluster",
        apiVersion: "kind.x-k8s.io/v1alpha4",
        nodes: [
          { role: "control-plane" },
          ...Array.from({ length: workers }, () => ({ role: "worker" })),
        ],
      }),
    );
    const kubeconfig = this.kubeconfigPath(o.name);
    await this.ctx.runner.run(
      kind,
      [
        "create",
        "cluster",
        "--name",
        o.name,
        "--config",
        config,
        "--kubeconfig",
        kubeconfig,
        "--wait",
        "180s",
      ],
      { signal: o.signal },
    );
    const nodes = (await this.ctx.runner.run(kind, ["get", "nodes", "--name", o.name])).stdout
      .split("\n")
      .filter(Boolean);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    return {
      name: o.name,
      provider: this.name,
      kubeconfig,
      server: kc.getCurrentCluster()?.server ?? "",
      kubernetesVersion: (await kc.makeApiClient(VersionApi).getCode()).gitVersion,
      nodes,
      stateDir: dir,
    };
  }

  async kubeconfig(name: string): Promise<string> {
    const kind = await this.requireKind(`read the kubeconfig of "${name}"`);
    const { stdout } = await this.ctx.runner.run(kind, ["get", "kubeconfig", "--name", name]);
    const file = this.kubeconfigPath(name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, stdout, { mode: 0o600 });
    return file;
  }

  async delete(name: string): Promise<DeleteClusterResult> {
    const kind = await this.requireKind(`delete cluster "${name}"`);
    const found = (await this.list()).some((c) => c.name === name);
    await this.ctx.runner.run(kind, ["delete", "cluster", "--name", name]);
    return { name, found, stopped: found ? [name] : [] };
  }

  async list(): Promise<ClusterSummary[]> {
    const kind = await this.requireKind("list clusters");
    const { stdout } = await this.ctx.runner.run(kind, ["get", "clusters"]);
    return stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("No kind clusters"))
      .map((name) => ({ name, provider: this.name, status: "running" as const }));
  }
}
