/**
 * Creating a kwok cluster: an ordered list of small steps (PKI, ports, etcd, API server,
 * controller-manager and scheduler, kwok, nodes), each process recorded in the state file the
 * moment it is spawned. Any failure, timeout or abort tears down what was started before the
 * error reaches the caller (kind's create actions are the model).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { CoreV1Api, Health, KubeConfig, StorageV1Api, VersionApi } from "@kubernetes/client-node";
import { CommandError, InputError, ShoppeError } from "../../../errors.js";
import { withProgress } from "../../../log.js";
import { writeKubeconfig } from "../common/kubeconfig.js";
import { generatePki } from "../common/pki.js";
import { allocatePorts, LOOPBACK } from "../common/ports.js";
import { httpOk, pollUntil } from "../common/probe.js";
import { recordOf } from "../common/process-table.js";
import { type ClusterState, type StateStore, validateClusterName } from "../common/state.js";
import {
  type Daemon,
  logTail,
  lostPortRace,
  startDaemon,
  waitReady,
} from "../common/supervisor.js";
import { teardownCluster } from "../common/teardown.js";
import type { Cluster, CreateClusterOptions, NodeResources, ProviderContext } from "../provider.js";
import { controlPlaneVersion, normalizeVersion, requireBinaries } from "./binaries.js";
import {
  type Binaries,
  type Component,
  daemonSpec,
  type Layout,
  type Ports,
  statePaths,
} from "./components.js";
import { kwokNode, nodeIp, nodeName, resolveNodeResources } from "./nodes.js";
import { KWOK_PROVISIONER, KWOK_STAGES, KWOK_STORAGE_CLASS } from "./stages.js";

const DEFAULT_TIMEOUT_MS = 180_000;
const MAX_NODES = 100;

/** Checks options that need no cluster; returns the resolved node resources. */
export function validateCreateOptions(o: CreateClusterOptions): {
  nodes: number;
  resources: NodeResources;
} {
  validateClusterName(o.name);
  const nodes = o.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new InputError(
      `invalid node count ${nodes}: expected a whole number from 1 to ${MAX_NODES}`,
    );
  }
  return { nodes, resources: resolveNodeResources(o.nodeResources) };
}

/** Allocates the ports of one cluster. */
async function choosePorts(): Promise<Ports> {
  const [a, b, c, d, e, f] = await allocatePorts(6);
  return {
    etcd: a as number,
    "etcd-peer": b as number,
    "kube-apiserver": c as number,
    "kube-controller-manager": d as number,
    "kube-scheduler": e as number,
    kwok: f as number,
  };
}

/** Everything one create run carries between steps. */
class CreateRun {
  readonly deadline: number;
  layout!: Layout;
  kc!: KubeConfig;

  constructor(
    readonly ctx: ProviderContext,
    readonly store: StateStore,
    readonly o: CreateClusterOptions,
    readonly state: ClusterState,
    readonly binaries: Binaries,
  ) {
    this.deadline = Date.now() + (o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  remaining(): number {
    return Math.max(1_000, this.deadline - Date.now());
  }

  save(): void {
    this.store.write(this.state);
  }

  /** Runs one step under a progress line. */
  step<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.o.signal?.throwIfAborted();
    return withProgress(this.ctx.progress, title, fn);
  }

  /** How to tell that `c` is ready. */
  probe(c: Component): () => Promise<boolean> {
    const port = this.layout.ports[c];
    const tls = { ca: readFileSync(this.layout.pki.caCert) };
    switch (c) {
      case "etcd":
        return () => httpOk(`http://${LOOPBACK}:${port}/health`);
      case "kube-apiserver":
        return () => new Health(this.kc).readyz({ signal: AbortSignal.timeout(2_000) });
      case "kube-controller-manager":
      case "kube-scheduler":
        return () => httpOk(`https://${LOOPBACK}:${port}/healthz`, tls);
      case "kwok":
        return () => httpOk(`http://${LOOPBACK}:${port}/healthz`);
    }
  }

  /** The API server's URL at its current port. */
  server(): string {
    return `https://${LOOPBACK}:${this.layout.ports["kube-apiserver"]}`;
  }

  /** (Re)writes the kubeconfig for the API server's current port and loads it. */
  writeKubeconfig(): void {
    writeKubeconfig(this.layout.kubeconfig, `kwok-${this.o.name}`, this.server(), this.layout.pki);
    this.kc = new KubeConfig();
    this.kc.loadFromFile(this.layout.kubeconfig);
  }

  /**
   * Starts `c`, records its PID at once, and waits for its probe. When another process took
   * its port between allocation and bind, picks a new port and tries again (twice at most).
   */
  async start(c: Component): Promise<Daemon> {
    for (let attempt = 1; ; attempt++) {
      if (c === "kube-apiserver") this.writeKubeconfig();
      const d = await startDaemon(daemonSpec(this.layout, c), this.ctx.redactor);
      this.state.processes.push(d.record);
      this.save();
      try {
        await waitReady(d, this.probe(c), this.ctx.redactor, {
          timeoutMs: this.remaining(),
          signal: this.o.signal,
        });
        return d;
      } catch (err) {
        const raced = err instanceof CommandError && d.exit !== undefined && lostPortRace(d);
        if (!raced || attempt >= 3) throw err;
        this.ctx.logger.debug(`${c}: a port was taken meanwhile, retrying on new ports`);
        const names = c === "etcd" ? (["etcd", "etcd-peer"] as const) : ([c] as const);
        const fresh = await allocatePorts(names.length);
        names.forEach((n, i) => {
          this.layout.ports[n] = fresh[i] as number;
          this.state.ports[n] = fresh[i] as number;
        });
      }
    }
  }
}

/**
 * Creates the cluster's Node objects and the default StorageClass kwok provisions for, and
 * waits until kwok reports every node Ready.
 */
async function createNodes(run: CreateRun, count: number, r: NodeResources): Promise<string[]> {
  const core = run.kc.makeApiClient(CoreV1Api);
  await run.kc.makeApiClient(StorageV1Api).createStorageClass({
    body: {
      metadata: {
        name: KWOK_STORAGE_CLASS,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: KWOK_PROVISIONER,
      reclaimPolicy: "Delete",
      volumeBindingMode: "Immediate",
    },
  });
  const names = Array.from({ length: count }, (_, i) => nodeName(run.o.name, i));
  for (const [i, name] of names.entries()) {
    await core.createNode({ body: kwokNode(name, r, nodeIp(i)) });
  }
  run.state.nodes = names;
  run.save();
  await pollUntil(
    async () => {
      const { items } = await core.listNode();
      const ready = items.filter((n) =>
        n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length >= names.length ? true : undefined;
    },
    {
      what: `${count} kwok node(s) to turn Ready`,
      timeoutMs: run.remaining(),
      signal: run.o.signal,
    },
  );
  // Pods need their namespace's default ServiceAccount, which the controller-manager creates.
  await pollUntil(
    async () =>
      (await core.readNamespacedServiceAccount({ name: "default", namespace: "default" }))
        ? true
        : undefined,
    { what: "the default ServiceAccount", timeoutMs: run.remaining(), signal: run.o.signal },
  );
  return names;
}

/** The steps, in order; each records what it started in run.state. */
async function runSteps(run: CreateRun, nodes: number, r: NodeResources): Promise<Cluster> {
  const { o, state } = run;
  const paths = statePaths(run.store.dir(o.name));
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.kwokWorkDir, { recursive: true });
  const pki = await run.step("generating certificates", () =>
    generatePki(run.ctx.runner, paths.pki, { clusterName: o.name }),
  );
  const ports = await choosePorts();
  state.ports = { ...ports };
  run.layout = {
    clusterName: o.name,
    stateDir: run.store.dir(o.name),
    kubeconfig: paths.kubeconfig,
    pki,
    ports,
    binaries: run.binaries,
  };
  writeFileSync(paths.kwokConfig, KWOK_STAGES);
  run.save();

  await run.step("starting etcd", () => run.start("etcd"));
  await run.step("starting kube-apiserver", () => run.start("kube-apiserver"));
  await run.step("starting kube-controller-manager and kube-scheduler", () =>
    Promise.all([run.start("kube-controller-manager"), run.start("kube-scheduler")]),
  );
  await run.step("starting kwok", () => run.start("kwok"));
  const names = await run.step(`registering ${nodes} simulated node(s)`, () =>
    createNodes(run, nodes, r),
  );
  const served = (await run.kc.makeApiClient(VersionApi).getCode()).gitVersion;
  const finalServer = run.server();
  state.server = finalServer;
  state.kubernetesVersion = served;
  state.phase = "ready";
  run.save();
  return {
    name: o.name,
    provider: "kwok",
    kubeconfig: paths.kubeconfig,
    server: finalServer,
    kubernetesVersion: served,
    nodes: names,
    stateDir: run.store.dir(o.name),
  };
}

/**
 * The error create rejects with: an abort says what was interrupted; a component that failed to
 * start is its CommandError (command line and log tail); anything else gets the cluster's name.
 */
function failure(o: CreateClusterOptions, err: unknown): unknown {
  if (o.signal?.aborted) {
    const r = o.signal.reason;
    const why = r instanceof Error ? r.message : String(r);
    return new ShoppeError(
      `failed to create cluster "${o.name}": interrupted (${why}); everything started was stopped`,
      { cause: err },
    );
  }
  if (err instanceof CommandError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ShoppeError(`failed to create cluster "${o.name}": ${why}`, { cause: err });
}

/** Diagnostics before teardown (style habit 8): the last lines of every component's log. */
function reportLogs(ctx: ProviderContext, state: ClusterState): void {
  for (const p of state.processes) {
    const text = logTail(p.logFile, ctx.redactor, 10);
    if (text) ctx.logger.warn(`${state.name}: last lines of ${p.name}'s log:\n${text}`);
  }
}

/** The kwok provider's create (see ClusterProvider.create for the contract). */
export async function createKwokCluster(
  ctx: ProviderContext,
  store: StateStore,
  o: CreateClusterOptions,
  claim: () => Promise<void>,
): Promise<Cluster> {
  const { nodes, resources } = validateCreateOptions(o);
  const binaries = requireBinaries(ctx.root, ctx.env.PATH ?? "");
  const built = await controlPlaneVersion(ctx.runner, binaries["kube-apiserver"]);
  if (o.kubernetesVersion && normalizeVersion(o.kubernetesVersion) !== built) {
    throw new InputError(
      `failed to create cluster "${o.name}": Kubernetes ${normalizeVersion(o.kubernetesVersion)} was requested but the built control plane is ${built} (KUBE_VERSION in scripts/tool-versions.env); pass --kubernetes-version ${built} or change the pin and run scripts/install-tools kube`,
    );
  }
  await claim();
  const state: ClusterState = {
    schema: 1,
    name: o.name,
    provider: "kwok",
    phase: "creating",
    lifetime: o.lifetime ?? "persistent",
    owner: recordOf("owner", process.pid),
    createdAt: new Date().toISOString(),
    kubeconfig: statePaths(store.dir(o.name)).kubeconfig,
    kubernetesVersion: built,
    ports: {},
    processes: [],
    nodes: [],
  };
  store.write(state);
  const run = new CreateRun(ctx, store, o, state, binaries);
  try {
    return await runSteps(run, nodes, resources);
  } catch (err) {
    const cause = failure(o, err);
    if (!o.signal?.aborted) reportLogs(ctx, state);
    try {
      await teardownCluster(store, state, ctx.logger, { graceMs: 5_000 });
    } catch (cleanup) {
      const first = cause instanceof Error ? cause.message : String(cause);
      const second = cleanup instanceof Error ? cleanup.message : String(cleanup);
      throw new ShoppeError(`${first}; and then ${second}`, { cause });
    }
    throw cause;
  }
}
