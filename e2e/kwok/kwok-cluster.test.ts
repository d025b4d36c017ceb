/**
 * The kwok provider end to end: a real etcd, kube-apiserver, controller-manager and scheduler on
 * 127.0.0.1, nodes and pods simulated by kwok. Every assertion here is API-level (field note
 * 18): a Ready workload means it was admitted, scheduled and reconciled, never that a container
 * ran. Under CI=true a missing tool fails the suite instead of skipping it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod, VersionApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import { isPortFree } from "../../src/e2e/providers/common/ports.js";
import { isAlive } from "../../src/e2e/providers/common/process-table.js";
import type { ClusterState } from "../../src/e2e/providers/common/state.js";
import { KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import type { Cluster } from "../../src/e2e/providers/provider.js";
import { CommandError } from "../../src/errors.js";
import { RecordingLogger } from "../../src/log.js";
import { openHelm } from "../../src/tools/helm.js";
import { openKubectl } from "../../src/tools/kubectl.js";
import { readPins } from "../../src/tools/pins.js";
import { describeWithTools, ROOT } from "../../test/helpers/tools.js";

const TOOLS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "kubectl",
  "helm",
];
const FIXTURES = path.join(import.meta.dirname, "fixtures");

/** Charts to install: the real xcache and triton charts when present, and our probe chart. */
function chartsToInstall(): { release: string; chart: string; values: string[] }[] {
  const out = ["xcache", "triton"]
    .map((name) => ({ name, dir: path.join(ROOT, "charts", name) }))
    .filter((c) => existsSync(path.join(c.dir, "Chart.yaml")))
    .map((c) => {
      const ci = path.join(c.dir, "ci", "ci-values.yaml");
      return { release: c.name, chart: c.dir, values: existsSync(ci) ? [ci] : [] };
    });
  out.push({
    release: "probe",
    chart: path.join(ROOT, "test/fixtures/charts/kwok-probe"),
    values: [],
  });
  return out;
}

/** Spawns a TypeScript entry point under tsx, output captured. */
function spawnTs(script: string, args: string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (b: Buffer) => {
    text += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    text += b.toString();
  });
  return Object.assign(child, { output: () => text });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function until<T>(
  what: string,
  timeoutMs: number,
  fn: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function readState(stateRoot: string, name: string): ClusterState | undefined {
  try {
    return JSON.parse(
      readFileSync(path.join(stateRoot, name, "cluster.json"), "utf8"),
    ) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Live processes whose command line mentions `text` (zombies have none), from /proc. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(text)) found.push(`${pid}: ${cmd.slice(0, 80)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Asserts nothing of `st` survives: no recorded process alive, no port bound, no directory. */
async function expectGone(stateRoot: string, st: ClusterState): Promise<void> {
  expect(st.processes.filter((p) => isAlive(p)).map((p) => `${p.name} (pid ${p.pid})`)).toEqual([]);
  const busy: number[] = [];
  for (const port of Object.values(st.ports)) if (!(await isPortFree(port))) busy.push(port);
  expect(busy).toEqual([]);
  expect(existsSync(path.join(stateRoot, st.name))).toBe(false);
  // Nothing unrecorded either: no live process refers to the cluster's directory.
  expect(processesMentioning(`${path.join(stateRoot, st.name)}/`)).toEqual([]);
}

describeWithTools("kwok provider (API-level only: no container runs)", TOOLS, () => {
  // A fixed state root, so a run killed outright leaves its clusters where the next run's
  // create finds and reaps them; names carry this run's id so concurrent runs never collide.
  const stateRoot = path.join(ROOT, ".shoppe", "e2e-kwok");
  const id = process.pid.toString(36);
  const names = {
    main: `e2e-${id}`,
    orphan: `orphan-${id}`,
    next: `next-${id}`,
    cut: `cut-${id}`,
    broken: `broken-${id}`,
  };
  const helmHome = mkdtempSync(path.join(tmpdir(), "shoppe-kwok-helm-"));
  const ctx = createContext({ root: ROOT });
  const provider = new KwokProvider(ctx, { stateRoot });
  const pinned = readPins(ROOT).kube ?? "";
  const children: ChildProcess[] = [];
  let cluster: Cluster;
  let kc: KubeConfig;

  beforeAll(async () => {
    cluster = await provider.create({
      name: names.main,
      nodes: 2,
      nodeResources: { cpu: "16", memory: "64Gi", gpus: 1 },
      kubernetesVersion: pinned,
      lifetime: "session",
    });
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
  }, 240_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    const errors: unknown[] = [];
    for (const name of Object.values(names)) {
      await provider.delete(name).catch((e: unknown) => errors.push(e));
    }
    if (existsSync(stateRoot) && readdirSync(stateRoot).length === 0)
      rmSync(stateRoot, { recursive: true });
    rmSync(helmHome, { recursive: true, force: true });
    if (errors.length) throw errors[0];
  }, 120_000);

  it("serves the pinned Kubernetes version with the requested simulated nodes", async () => {
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await kc.makeApiClient(VersionApi).getCode()).gitVersion).toBe(pinned);
    const { items } = await kc.makeApiClient(CoreV1Api).listNode();
    expect(items.map((n) => n.metadata?.name).sort()).toEqual([
      `${names.main}-node-0`,
      `${names.main}-node-1`,
    ]);
    for (const n of items) {
      expect(n.status?.allocatable).toMatchObject({
        cpu: "16",
        memory: "64Gi",
        "nvidia.com/gpu": "1",
      });
      expect(n.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }
  });

  it("installs charts with the real helm and reports every workload ready", async () => {
    const helm = openHelm(ctx, "v4", helmHome);
    const kubectl = openKubectl(ctx, cluster.kubeconfig);
    const apps = kc.makeApiClient(AppsV1Api);
    let workloads = 0;
    for (const c of chartsToInstall()) {
      const namespace = c.release;
      try {
        await helm.install(c.release, c.chart, {
          namespace,
          kubeconfig: cluster.kubeconfig,
          valuesFiles: c.values,
          createNamespace: true,
          wait: true,
          timeout: "90s",
        });
      } catch (err) {
        // Diagnostics before anything is torn down (style habit 8), scoped to the namespace.
        throw new Error(`${String(err)}\n${await kubectl.diagnostics(namespace)}`);
      }
      const deployments = (await apps.listNamespacedDeployment({ namespace })).items;
      const statefulSets = (await apps.listNamespacedStatefulSet({ namespace })).items;
      for (const w of [...deployments, ...statefulSets]) {
        workloads++;
        const want = w.spec?.replicas ?? 1;
        expect(
          `${w.kind ?? ""}${w.metadata?.name} ready ${w.status?.readyReplicas ?? 0}/${want}`,
        ).toBe(`${w.kind ?? ""}${w.metadata?.name} ready ${want}/${want}`);
      }
      const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).items;
      expect(pods.length).toBeGreaterThan(0);
      expect(
        pods.filter((p) => p.status?.phase !== "Running").map((p) => p.metadata?.name),
      ).toEqual([]);
    }
    expect(workloads).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it("keeps a pod asking for more GPUs than any node has Pending, with the scheduler's reason", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const pod = (name: string, gpus: number): V1Pod => ({
      metadata: { name, namespace: "default" },
      spec: {
        containers: [
          {
            name: "c",
            image: "registry.example/gpu:1",
            resources: { limits: { "nvidia.com/gpu": String(gpus) } },
          },
        ],
      },
    });
    await core.createNamespacedPod({ namespace: "default", body: pod("fits", 1) });
    await core.createNamespacedPod({ namespace: "default", body: pod("greedy", 2) });
    const event = await until("a FailedScheduling event for greedy", 30_000, async () => {
      const { items } = await core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=greedy",
      });
      return items.find((e) => e.reason === "FailedScheduling");
    });
    expect(event.message).toMatch(/0\/2 nodes are available: 2 Insufficient nvidia\.com\/gpu/);
    const greedy = await core.readNamespacedPod({ name: "greedy", namespace: "default" });
    expect(greedy.status?.phase).toBe("Pending");
    expect(greedy.spec?.nodeName).toBeUndefined();
    // The control: one GPU fits a node, so the same pod shape is scheduled and turns Running.
    const fits = await until("fits to run", 30_000, async () => {
      const p = await core.readNamespacedPod({ name: "fits", namespace: "default" });
      return p.status?.phase === "Running" ? p : undefined;
    });
    expect(fits.spec?.nodeName).toMatch(new RegExp(`^${names.main}-node-[01]$`));
  });

  it("rejects a manifest with an invalid field, surfacing the API server's message", async () => {
    const kubectl = openKubectl(ctx, cluster.kubeconfig);
    const manifest = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: { name: typo, namespace: default }",
      "spec:",
      "  replicaz: 2",
      "  selector: { matchLabels: { app: typo } }",
      "  template:",
      "    metadata: { labels: { app: typo } }",
      "    spec: { containers: [{ name: c, image: registry.example/typo:1 }] }",
      "",
    ].join("\n");
    const err = await kubectl.apply(manifest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).output).toContain(
      'strict decoding error: unknown field "spec.replicaz"',
    );
    expect((err as CommandError).command).toContain("kubectl");
    // A well-formed object with an invalid value is refused by validation, with its field path.
    const invalid = manifest.replace("replicaz: 2", "replicas: -1");
    const err2 = await kubectl.apply(invalid).catch((e: unknown) => e);
    expect((err2 as CommandError).output).toMatch(/spec\.replicas: Invalid value: -1/);
  });

  it("runs side by side with a second cluster, and the next run reaps what a SIGKILLed run left", async () => {
    const hold = spawnTs(path.join(FIXTURES, "hold-cluster.ts"), [
      ROOT,
      stateRoot,
      names.orphan,
      "session",
    ]);
    children.push(hold);
    const line = await until("the held cluster", 120_000, () => {
      if (hold.exitCode !== null)
        throw new Error(`hold-cluster exited ${hold.exitCode}: ${hold.output()}`);
      return hold
        .output()
        .split("\n")
        .find((l) => l.startsWith("{"));
    });
    const orphan = JSON.parse(line) as Cluster;
    // Side by side: both answer, on disjoint ports.
    const st = readState(stateRoot, names.orphan) as ClusterState;
    const main = readState(stateRoot, names.main) as ClusterState;
    expect(Object.values(st.ports).filter((p) => Object.values(main.ports).includes(p))).toEqual(
      [],
    );
    const other = new KubeConfig();
    other.loadFromFile(orphan.kubeconfig);
    expect((await other.makeApiClient(CoreV1Api).listNode()).items).toHaveLength(1);

    hold.kill("SIGKILL");
    await exited(hold);
    expect(st.processes.every((p) => isAlive(p))).toBe(true); // left behind, still running
    expect((await provider.list()).find((c) => c.name === names.orphan)?.status).toBe("leftover");

    // The next run, a separate process: `shoppe cluster create` reaps before it creates.
    const cli = spawnTs(path.join(FIXTURES, "shoppe.ts"), [
      "cluster",
      "create",
      "--name",
      names.next,
      "--state-dir",
      stateRoot,
    ]);
    children.push(cli);
    expect(await exited(cli)).toBe(0);
    expect(cli.output()).toContain(`reaping leftover cluster "${names.orphan}"`);
    await expectGone(stateRoot, st);
    const next = readState(stateRoot, names.next) as ClusterState;
    expect(next.phase).toBe("ready");
    // A persistent cluster outlives the CLI that created it, until `cluster delete`.
    expect(next.processes.every((p) => isAlive(p))).toBe(true);
    const del = spawnTs(path.join(FIXTURES, "shoppe.ts"), [
      "cluster",
      "delete",
      "--name",
      names.next,
      "--state-dir",
      stateRoot,
    ]);
    children.push(del);
    expect(await exited(del)).toBe(0);
    await expectGone(stateRoot, next);
  }, 180_000);

  it("tears down everything started when create is interrupted by SIGTERM", async () => {
    const cli = spawnTs(path.join(FIXTURES, "shoppe.ts"), [
      "cluster",
      "create",
      "--name",
      names.cut,
      "--state-dir",
      stateRoot,
    ]);
    children.push(cli);
    const st = await until("the API server to be started", 60_000, () => {
      const s = readState(stateRoot, names.cut);
      return s?.processes.some((p) => p.name === "kube-apiserver") ? s : undefined;
    });
    cli.kill("SIGTERM");
    expect(await exited(cli)).toBe(143); // 128 + SIGTERM, as a shell reports it
    expect(cli.output()).toContain(
      `failed to create cluster "${names.cut}": interrupted (received SIGTERM)`,
    );
    await expectGone(stateRoot, st);
  }, 120_000);

  it("tears down on a component that fails to start, naming its command and log", async () => {
    // The real binaries, except a kwok that cannot start.
    const root = mkdtempSync(path.join(tmpdir(), "shoppe-kwok-broken-"));
    const bin = path.join(root, ".tools/bin");
    mkdirSync(bin, { recursive: true });
    for (const b of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]) {
      symlinkSync(path.join(ROOT, ".tools/bin", b), path.join(bin, b));
    }
    writeFileSync(
      path.join(bin, "kwok"),
      "#!/bin/sh\necho 'kwok: simulated start failure' >&2\nexit 7\n",
    );
    chmodSync(path.join(bin, "kwok"), 0o755);
    const logger = new RecordingLogger();
    const broken = new KwokProvider(createContext({ root, env: { PATH: "" }, logger }), {
      stateRoot,
    });
    try {
      const err = await broken.create({ name: names.broken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommandError);
      const ce = err as CommandError;
      expect(ce.message).toMatch(
        /^failed to start kwok \(exited before it was ready: exit status 7\): /,
      );
      expect(ce.command).toContain(`${bin}/kwok --kubeconfig=`);
      expect(ce.output).toContain("kwok: simulated start failure");
      // Diagnostics were reported before teardown, then everything started was stopped.
      expect(
        logger.lines.some((l) => l.message.includes("last lines of kube-apiserver's log")),
      ).toBe(true);
      expect(existsSync(path.join(stateRoot, names.broken))).toBe(false);
      expect(processesMentioning(`${path.join(stateRoot, names.broken)}/`)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it("delete stops every process and frees every port", async () => {
    const st = readState(stateRoot, names.main) as ClusterState;
    expect(st.processes.map((p) => p.name)).toEqual([
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    ]);
    const result = await provider.delete(names.main);
    expect(result.found).toBe(true);
    expect(result.stopped).toHaveLength(5);
    await expectGone(stateRoot, st);
    expect(await provider.delete(names.main)).toEqual({
      name: names.main,
      found: false,
      stopped: [],
    });
  }, 60_000);
});
