/**
 * The cluster-provider interface: one shape for every backend that can hand the e2e suites a
 * Kubernetes API (kind's containers in CI, kwok's simulated nodes on a machine without a
 * container engine). Modelled on kind's pkg/cluster/internal/providers: the backend owns its
 * processes or containers; callers only see names, kubeconfigs and capabilities.
 */
import type { Context } from "../../context.js";

/** What providers take from the Context: the runner, logging, tool lookup and redaction. */
export type ProviderContext = Pick<
  Context,
  "root" | "runner" | "logger" | "progress" | "redactor" | "env"
>;

/** Resources every simulated node advertises as capacity and allocatable. */
export interface NodeResources {
  /** Kubernetes quantity, e.g. "8" or "3500m". */
  cpu: string;
  /** Kubernetes quantity, e.g. "32Gi". */
  memory: string;
  /** Maximum pods per node. */
  pods: number;
  /** `nvidia.com/gpu` per node; 0 leaves the resource off the node. */
  gpus: number;
}

/** What a provider can promise, so suites label their results honestly (field note 18). */
export interface ProviderCapabilities {
  /** Pods' containers really run (images pulled, probes, logs). False for kwok. */
  runsContainers: boolean;
  /** A real kube-apiserver, controller-manager and scheduler answer. */
  realControlPlane: boolean;
  /** Node capacity (CPU, memory, GPUs) is whatever the options say, not the host's. */
  simulatedResources: boolean;
  /**
   * The provider created the cluster and deletes it whole. False for `existing`: it works in a
   * namespace of someone else's cluster and removes only what it created there.
   */
  ownsCluster: boolean;
}

/** Whether a provider can run on this machine, and if not, why. */
export interface Detection {
  available: boolean;
  /** Why it is unavailable (missing binary, no container engine); absent when available. */
  reason?: string;
}

/** How long a created cluster lives. */
export type ClusterLifetime =
  /** Until `delete`: the CLI's `cluster create`, whose processes outlive the command. */
  | "persistent"
  /** Until the creating process is gone: a later run reaps it (test suites killed mid-run). */
  | "session";

/** Options of `create`. */
export interface CreateClusterOptions {
  /** Cluster name: lower-case letters, digits and dashes. */
  name: string;
  /** Simulated or real worker nodes; default 1. */
  nodes?: number;
  /** Per-node resources; unset fields take the provider's defaults. */
  nodeResources?: Partial<NodeResources>;
  /** Required control-plane version (e.g. "v1.35.4"); must match what the provider runs. */
  kubernetesVersion?: string;
  /** The node image pinned for that version (kind: `kindest/node:v…@sha256:…`). */
  nodeImage?: string;
  /** Default "persistent". */
  lifetime?: ClusterLifetime;
  /** Upper bound for the whole create, default 180 s. */
  timeoutMs?: number;
  /** Aborting tears down whatever was started and rejects (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
}

/** A cluster that answers. */
export interface Cluster {
  name: string;
  provider: string;
  /** Absolute path of an admin kubeconfig for this cluster. */
  kubeconfig: string;
  /** The API server URL, always on 127.0.0.1 for local providers. */
  server: string;
  /** What the API server reports, e.g. "v1.35.4". */
  kubernetesVersion: string;
  /** Node names, in creation order. */
  nodes: string[];
  /** Where the provider keeps this cluster's state (certs, logs, PIDs), if anywhere. */
  stateDir?: string;
  /** The kubeconfig context to use; absent means the file's current context. */
  context?: string;
  /**
   * What this cluster can prove, when the provider learns it only on connecting (an existing
   * cluster whose nodes turn out to be kwok's); absent means the provider's own capabilities.
   */
  capabilities?: ProviderCapabilities;
}

/** A Kubernetes version of stack.yaml as a provider needs it. */
export interface KubernetesPin {
  /** MAJOR.MINOR.PATCH without a leading v. */
  version: string;
  /** kind's node image pinned by digest, when stack.yaml has one. */
  kindNodeImage?: string;
}

/** What `list` knows about one cluster. */
export interface ClusterSummary {
  name: string;
  provider: string;
  /**
   * running: every process answers · creating: a live process is still creating it ·
   * degraded: some processes died · stopped: none is alive · leftover: its creator was killed
   * (a session cluster or an unfinished create); the next create reaps it.
   */
  status: "running" | "creating" | "degraded" | "stopped" | "leftover";
  kubeconfig?: string;
  server?: string;
  kubernetesVersion?: string;
  lifetime?: ClusterLifetime;
  stateDir?: string;
  /** Process name → PID, for the processes still alive. */
  processes?: Record<string, number>;
}

/** What `delete` did. */
export interface DeleteClusterResult {
  name: string;
  /** False when no such cluster existed (deleting is idempotent, as in kind). */
  found: boolean;
  /** Processes that were still alive and were stopped. */
  stopped: string[];
}

/** One backend. Every method may throw ShoppeError subclasses with actionable messages. */
export interface ClusterProvider {
  /** Registry name, e.g. "kwok". */
  readonly name: string;
  /** Static facts about every cluster this provider creates. */
  readonly capabilities: ProviderCapabilities;

  /**
   * Whether the provider can create clusters here (binaries, container engine). Cheap, never
   * throws: a missing tool is `{ available: false, reason }`.
   */
  detect(): Promise<Detection>;

  /**
   * Whether this provider can run Kubernetes `pin.version` here (kind: a node image is pinned;
   * kwok: the built control plane is that version; existing: the cluster serves that minor).
   * Never throws: a version it cannot run is `{ available: false, reason }`.
   */
  canRun(pin: KubernetesPin): Promise<Detection>;

  /**
   * Creates a cluster and waits until it accepts and schedules workloads. On failure, on
   * timeout and when `signal` aborts, everything started is torn down before it rejects; the
   * error carries the failing command and the tail of its log. A name already in use by a live
   * cluster is an error; leftovers of killed runs are reaped first.
   */
  create(options: CreateClusterOptions): Promise<Cluster>;

  /** The admin kubeconfig path of an existing cluster; throws when there is no such cluster. */
  kubeconfig(name: string): Promise<string>;

  /**
   * Stops every process or container of the cluster and removes its state; idempotent, and
   * works from any process, including on leftovers of a killed run.
   */
  delete(name: string): Promise<DeleteClusterResult>;

  /** Every cluster this provider knows, with liveness checked now. */
  list(): Promise<ClusterSummary[]>;
}
