/**
 * The kwok round trip of the e2e fixture stack (test/fixtures/e2e-stack), and the readiness
 * watch's API requests.
 *
 * 1. `shoppe e2e run --provider kwok` (the action: render check, dependencies, cluster create,
 *    namespace, helm install, readiness watched, checks, teardown, results written) against
 *    its peer in the same run: the kwok provider's create, `helm install --wait`, delete.
 *    Target: the round trip within 60 s on the 2-core machines.
 * 2. Readiness of one install, every API request counted by a loopback proxy
 *    (bench/counting-proxy.ts): the run's watch (one list and one watch per resource) against
 *    `kubectl wait` / `kubectl rollout status` doing the same job (every Deployment available,
 *    every StatefulSet and DaemonSet rolled out, every Job complete; kubectl's discovery cache
 *    warm), on the fixture stack and, where ../shared/upstream is, the real umbrella. The
 *    request counts are printed after the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, bench, describe } from "vitest";
import { chartDeps } from "../src/actions/chart-deps.js";
import { e2eRun } from "../src/actions/e2e.js";
import { KwokProvider } from "../src/e2e/providers/kwok/provider.js";
import { NamespaceWatch } from "../src/e2e/readiness/watch.js";
import { NamespaceObserver } from "../src/e2e/run/observe.js";
import { awaitReadiness } from "../src/e2e/run/readiness.js";
import { installedWorkloads } from "../src/e2e/run/release.js";
import { attributionScope, openUmbrella } from "../src/helm/umbrella.js";
import { silentLogger } from "../src/log.js";
import { openHelm } from "../src/tools/helm.js";
import { readPins } from "../src/tools/pins.js";
import { fixtureProject } from "../test/e2e-run/fixture-project.js";
import { findTool, ROOT } from "../test/helpers/tools.js";
import { createRealProject } from "../test/support/real-project.js";
import {
  realChartsOrigin,
  upstreamMirror,
  upstreamMissing,
} from "../test/support/upstream-mirror.js";
import { countingProxy } from "./counting-proxy.js";

/** A chart to install and wait for, and the request counts measured on it. */
interface Subject {
  name: string;
  chartDir: string;
  values: string[];
  scope: ReturnType<typeof attributionScope>;
  components: string[];
  counts: { watch: number[]; kubectl: number[] };
}

const missing = ["kube-apiserver", "etcd", "kwok", "kubectl", "helm"].filter((t) => !findTool(t));
const ready = missing.length ? undefined : await setup();
type Ready = NonNullable<typeof ready>;

afterAll(async () => {
  if (!ready) return;
  const mean = (xs: number[]) =>
    (xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1);
  for (const [which, s] of Object.entries(ready.subjects)) {
    if (!s) continue;
    console.log(
      `API requests to readiness, ${which}: watch ${s.counts.watch.join("/")} (mean ${mean(s.counts.watch)}), kubectl ${s.counts.kubectl.join("/")} (mean ${mean(s.counts.kubectl)})`,
    );
  }
  await ready.close();
});

async function subjectOf(
  ctx: Parameters<typeof openUmbrella>[0],
  components: string[],
): Promise<Subject> {
  const u = await openUmbrella(ctx);
  return {
    name: u.name,
    chartDir: u.chartDir,
    values: [path.join(u.chartDir, "ci", "ci-values.yaml")],
    scope: attributionScope(u),
    components,
    counts: { watch: [], kubectl: [] },
  };
}

async function setup() {
  const project = await fixtureProject();
  await chartDeps(project.ctx, {});
  const real = upstreamMissing() ? undefined : await createRealProject();
  if (real) await chartDeps(real.ctx, { mirror: await upstreamMirror() });
  const stateRoot = mkdtempSync(path.join(tmpdir(), "shoppe-bench-kwok-"));
  const provider = new KwokProvider(project.ctx, { stateRoot });
  const cluster = await provider.create({
    name: "bench-watch",
    nodes: 2,
    nodeResources: { cpu: "64", memory: "256Gi", gpus: 2 },
    kubernetesVersion: readPins(ROOT).kube ?? "",
    lifetime: "session",
  });
  const proxy = await countingProxy(cluster.kubeconfig, path.join(stateRoot, "counted.kubeconfig"));
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const counted = new KubeConfig();
  counted.loadFromFile(proxy.kubeconfig);
  const kubectl = findTool("kubectl") as string;
  const cache = path.join(stateRoot, "kube-cache");
  // Warm kubectl's discovery cache, as a user's would be.
  await project.ctx.runner.run(kubectl, [
    "--kubeconfig",
    proxy.kubeconfig,
    "--cache-dir",
    cache,
    "get",
    "ns",
  ]);
  return {
    project,
    cluster,
    proxy,
    kc,
    counted,
    kubectl,
    cache,
    helm: openHelm(project.ctx),
    subjects: {
      fixture: await subjectOf(project.ctx, ["web", "store"]),
      umbrella: real
        ? await subjectOf(real.ctx, ["coffea-casa", "servicex", "xcache", "triton", "mlflow"])
        : undefined,
    },
    async close() {
      await proxy.close();
      await provider.delete("bench-watch");
      await project.close();
      await real?.close();
      rmSync(stateRoot, { recursive: true, force: true });
    },
  };
}

/** vitest bench swallows a failing iteration: say what failed. */
function loud(fn: () => Promise<void>): () => Promise<void> {
  return () =>
    fn().catch((err: unknown) => {
      console.error(err);
      throw err;
    });
}

async function newNamespace(r: Ready): Promise<string> {
  const namespace = `bench-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  await r.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  return namespace;
}

/** The run's readiness through the counting proxy: watch started, helm install, settled. */
async function watchReadiness(r: Ready, s: Subject): Promise<void> {
  const namespace = await newNamespace(r);
  const observer = new NamespaceObserver(() => {});
  r.proxy.reset();
  const watch = new NamespaceWatch(r.counted, namespace, observer.handle, silentLogger);
  await watch.start();
  const target = { namespace, kubeconfig: r.cluster.kubeconfig };
  await r.helm.install(s.name, s.chartDir, { ...target, valuesFiles: s.values, timeout: "5m" });
  const expected = await installedWorkloads({ helm: r.helm, release: s.name, target }, s.scope);
  const outcome = await awaitReadiness({
    observer,
    expected,
    components: s.components,
    timeoutMs: 300_000,
    minGeneration: new Map(),
    signal: new AbortController().signal,
    onViews: () => {},
  });
  watch.stop();
  if (outcome.views.some((v) => v.state !== "ready")) throw new Error("not ready");
  s.counts.watch.push(r.proxy.requests.length);
}

/** kubectl waiting for the same workloads (each kind the release has), through the same proxy. */
async function kubectlReadiness(r: Ready, s: Subject): Promise<void> {
  const namespace = await newNamespace(r);
  const target = { namespace, kubeconfig: r.cluster.kubeconfig };
  await r.helm.install(s.name, s.chartDir, { ...target, valuesFiles: s.values, timeout: "5m" });
  const expected = await installedWorkloads({ helm: r.helm, release: s.name, target }, s.scope);
  const of = (kind: string) => expected.filter((w) => w.kind === kind);
  const base = [
    "--kubeconfig",
    r.proxy.kubeconfig,
    "--cache-dir",
    r.cache,
    "--namespace",
    namespace,
  ];
  const kubectl = (args: string[]) =>
    r.project.ctx.runner.run(r.kubectl, [...base, ...args, "--timeout=300s"]);
  r.proxy.reset();
  if (of("Deployment").length)
    await kubectl(["wait", "--for=condition=Available", "deployment", "--all"]);
  for (const w of [...of("StatefulSet"), ...of("DaemonSet")]) {
    await kubectl(["rollout", "status", `${w.kind.toLowerCase()}/${w.name}`]);
  }
  if (of("Job").length) await kubectl(["wait", "--for=condition=Complete", "job", "--all"]);
  s.counts.kubectl.push(r.proxy.requests.length);
}

(ready ? describe : describe.skip)(
  `kwok round trip of the e2e fixture stack${missing.length ? ` (missing ${missing.join(", ")})` : ""}`,
  () => {
    const options = { time: 0, iterations: 3, warmupIterations: 0 };
    bench(
      "shoppe e2e run --provider kwok (create, install, watch to ready, check, teardown, results)",
      loud(async () => {
        const r = await e2eRun((ready as Ready).project.ctx, {
          provider: { name: "kwok", origin: "bench" },
          timeoutMs: 60_000,
        });
        if (r.status !== "passed") throw new Error(`run ${r.status}`);
      }),
      options,
    );
    bench(
      "peer: kwok create + helm install --wait + delete",
      loud(async () => {
        const r = ready as Ready;
        const s = r.subjects.fixture;
        const p = new KwokProvider(r.project.ctx, {
          stateRoot: path.join(r.project.root, ".shoppe/peer"),
        });
        const c = await p.create({ name: "peer", nodes: 2, lifetime: "session" });
        try {
          await r.helm.install(s.name, s.chartDir, {
            namespace: "peer",
            createNamespace: true,
            kubeconfig: c.kubeconfig,
            valuesFiles: s.values,
            wait: true,
            timeout: "60s",
          });
        } finally {
          await p.delete("peer");
        }
      }),
      options,
    );
  },
);

for (const which of ["fixture", "umbrella"] as const) {
  const subject = () => (ready as Ready).subjects[which] as Subject;
  const shown =
    which === "fixture" ? "the fixture stack" : `the real umbrella from ${realChartsOrigin()}`;
  (ready?.subjects[which] ? describe : describe.skip)(
    `readiness of one install of ${shown}: API requests (printed) and time`,
    () => {
      const options = { time: 0, iterations: which === "fixture" ? 3 : 2, warmupIterations: 0 };
      bench(
        "readiness watch (@kubernetes/client-node)",
        loud(() => watchReadiness(ready as Ready, subject())),
        options,
      );
      bench(
        "peer: kubectl wait + rollout status",
        loud(() => kubectlReadiness(ready as Ready, subject())),
        options,
      );
    },
  );
}
