/**
 * The existing provider: a cluster someone else runs (a facility's staging cluster), reached
 * through a kubeconfig context. It creates no cluster and deletes none: `create` connects and
 * reports what the cluster is, `delete` leaves it alone. The run works in a namespace of its
 * own (src/e2e/run/namespace.ts) and removes only what it created there. Whether pods really
 * run is learnt on connecting: nodes that kwok simulates make its results API-level.
 */
import { CoreV1Api, type KubeConfig, type V1Node } from "@kubernetes/client-node";
import { KWOK_NODE_ANNOTATION } from "../kwok/nodes.js";
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
import {
  type KubeconfigChoice,
  loadKubeconfig,
  type ResolvedKubeconfig,
  servedVersion,
  withTimeout,
} from "./kubeconfig.js";

/** Options of the existing provider: which kubeconfig and context. */
export type ExistingProviderOptions = KubeconfigChoice;

/** What connecting learnt. */
interface Connection {
  config: ResolvedKubeconfig;
  server: string;
  version: string;
  nodes: V1Node[] | undefined;
}

/** See the module comment. */
export class ExistingProvider implements ClusterProvider {
  readonly name = "existing";
  readonly capabilities: ProviderCapabilities = {
    runsContainers: true,
    realControlPlane: true,
    simulatedResources: false,
    ownsCluster: false,
  };
  private connection: Promise<Connection> | undefined;

  constructor(
    private readonly ctx: ProviderContext,
    private readonly choice: ExistingProviderOptions = {},
  ) {}

  async detect(): Promise<Detection> {
    try {
      await loadKubeconfig(this.choice, this.ctx.env, this.ctx.root);
      return { available: true };
    } catch (err) {
      return { available: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Connects once: the kubeconfig, the served version and the nodes. */
  private connect(): Promise<Connection> {
    this.connection ??= loadKubeconfig(this.choice, this.ctx.env, this.ctx.root).then(connect);
    return this.connection;
  }

  async canRun(pin: KubernetesPin): Promise<Detection> {
    try {
      const { version } = await this.connect();
      const minor = (v: string) => v.replace(/^v/, "").split(".").slice(0, 2).join(".");
      if (minor(version) === minor(pin.version)) return { available: true };
      return { available: false, reason: `the cluster serves Kubernetes ${version}` };
    } catch (err) {
      return { available: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Connects to the cluster (creates nothing); InputError when it cannot be reached. */
  async create(_o: CreateClusterOptions): Promise<Cluster> {
    const c = await this.connect();
    const simulated = c.nodes !== undefined && c.nodes.length > 0 && c.nodes.every(isKwokNode);
    if (c.nodes === undefined) {
      this.ctx.logger.warn(
        "cannot list the cluster's nodes; whether containers run is judged from the pods",
      );
    }
    return {
      name: c.config.context,
      provider: this.name,
      kubeconfig: c.config.file,
      context: c.config.context,
      server: c.server,
      kubernetesVersion: c.version,
      nodes: (c.nodes ?? []).map((n) => n.metadata?.name ?? ""),
      ...(simulated
        ? {
            capabilities: {
              ...this.capabilities,
              runsContainers: false,
              simulatedResources: true,
            },
          }
        : {}),
    };
  }

  async kubeconfig(_name: string): Promise<string> {
    return (await this.connect()).config.file;
  }

  /** Never deletes anything: the cluster is not ours. */
  async delete(name: string): Promise<DeleteClusterResult> {
    return { name, found: false, stopped: [] };
  }

  async list(): Promise<ClusterSummary[]> {
    const config = await loadKubeconfig(this.choice, this.ctx.env, this.ctx.root);
    const up = await connect(config).then(
      () => true,
      () => false,
    );
    return [
      {
        name: config.context,
        provider: this.name,
        status: up ? "running" : "stopped",
        kubeconfig: config.file,
      },
    ];
  }
}

/** A node kwok simulates (our provider's annotation, or kwok's kubelet version stamp). */
export function isKwokNode(n: V1Node): boolean {
  return (
    n.metadata?.annotations?.[KWOK_NODE_ANNOTATION] !== undefined ||
    (n.status?.nodeInfo?.kubeletVersion ?? "").startsWith("kwok")
  );
}

async function connect(config: ResolvedKubeconfig): Promise<Connection> {
  const version = await servedVersion(config);
  const nodes = await listNodes(config.kc);
  return { config, server: config.kc.getCurrentCluster()?.server ?? "", version, nodes };
}

async function listNodes(kc: KubeConfig): Promise<V1Node[] | undefined> {
  try {
    return (await withTimeout(kc.makeApiClient(CoreV1Api).listNode())).items;
  } catch {
    return undefined;
  }
}
