/**
 * The real umbrella into a real API server: the real stack.yaml, its dependencies built by
 * `shoppe chart deps` from the upstream mirror (Coffea-Casa and MLflow substitutes declared
 * there) or from the upstream repositories where SHOPPE_UPSTREAM_NETWORK=1, installed with the
 * pinned helm into the kwok provider's kube-apiserver. API-level only: every object is
 * validated and admitted, workloads are scheduled and reconciled, no container runs.
 */
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import type { Cluster } from "../../src/e2e/providers/provider.js";
import { CommandError } from "../../src/errors.js";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { openKubectl } from "../../src/tools/kubectl.js";
import { readPins } from "../../src/tools/pins.js";
import { runCli } from "../../test/helpers/cli.js";
import { ROOT, toolPath } from "../../test/helpers/tools.js";
import { createRealProject, type RealProject } from "../../test/support/real-project.js";
import { tempDir } from "../../test/support/temp.js";
import {
  describeWithRealCharts,
  realChartsArgs,
  upstreamMode,
} from "../../test/support/upstream-mirror.js";

const TOOLS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "kubectl",
  "helm",
];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}

const source =
  upstreamMode() === "mirror"
    ? "the upstream mirror (coffea-casa and mlflow substitutes)"
    : "the upstream repositories";

describeWithRealCharts(`the real umbrella from ${source} in the kwok API server`, TOOLS, () => {
  const stateRoot = path.join(ROOT, ".shoppe", "e2e-kwok");
  const name = `umbrella-${process.pid.toString(36)}`;
  let provider: KwokProvider;
  let cluster: Cluster;
  let kc: KubeConfig;
  let project: RealProject;
  let helm: Helm;
  let helmHome: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    project = await createRealProject();
    const deps = await runCli(["chart", "deps", ...(await realChartsArgs())], project.root, {
      PATH: toolPath(),
    });
    if (deps.code !== 0) throw new Error(`chart deps failed:\n${deps.stderr}`);
    provider = new KwokProvider(project.ctx, { stateRoot });
    cluster = await provider.create({
      name,
      nodes: 2,
      nodeResources: { cpu: "32", memory: "128Gi", gpus: 1 },
      kubernetesVersion: readPins(ROOT).kube ?? "",
      lifetime: "session",
    });
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    helmHome = await tempDir("umbrella-helm");
    helm = openHelm(project.ctx, "v4", helmHome.path);
  }, 300_000);

  afterAll(async () => {
    await provider?.delete(name);
    await helmHome?.remove();
    await project?.close();
  }, 120_000);

  /**
   * What the production profile takes from the facility instead of literals in values
   * (docs/stack.md): the Secret with MLflow's database credentials and the claim its artifacts
   * live on.
   */
  async function facilityPrerequisites(namespace: string) {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: "mlflow-database" },
        stringData: { username: "mlflow", password: "facility-made" },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: "mlflow-artifacts" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
      },
    });
  }

  /** Installs the umbrella with a profile; diagnostics of the namespace on failure. */
  async function install(release: string, profile: string, set: Record<string, string> = {}) {
    const namespace = release;
    try {
      return await helm.install(release, project.chartDir, {
        namespace,
        kubeconfig: cluster.kubeconfig,
        valuesFiles: [path.join(project.chartDir, "ci", `${profile}-values.yaml`)],
        createNamespace: true,
        wait: true,
        timeout: "3m",
        set,
      });
    } catch (err) {
      const kubectl = openKubectl(project.ctx, cluster.kubeconfig);
      if (err instanceof CommandError) err.message += `\n${await kubectl.diagnostics(namespace)}`;
      throw err;
    }
  }

  for (const profile of ["ci", "production"]) {
    it(`installs with the ${profile} profile: the API server accepts every object and every workload is ready`, async () => {
      const release = `shoppe-${profile}`;
      const namespace = release;
      if (profile === "production") await facilityPrerequisites(namespace);
      await install(release, profile);
      const rendered = parseAllDocuments(
        await helm.template(project.chartDir, {
          releaseName: release,
          namespace,
          valuesFiles: [path.join(project.chartDir, "ci", `${profile}-values.yaml`)],
          kubeVersion: readPins(ROOT).kube?.replace(/^v/, ""),
        }),
      )
        .map((d) => d.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null)
        .filter((o) => !o.metadata.annotations?.["helm.sh/hook"]);
      // Every object the chart renders is in the cluster, as the API server stored it.
      const objectsApi = KubernetesObjectApi.makeApiClient(kc);
      const absent: string[] = [];
      for (const o of rendered) {
        const ns = o.kind.startsWith("Cluster") ? undefined : (o.metadata.namespace ?? namespace);
        await objectsApi
          .read({
            apiVersion: o.apiVersion,
            kind: o.kind,
            metadata: { name: o.metadata.name, ...(ns ? { namespace: ns } : {}) },
          })
          .catch(() => absent.push(`${o.kind}/${o.metadata.name}`));
      }
      expect(absent).toEqual([]);
      expect(rendered.length).toBeGreaterThan(50);

      const apps = kc.makeApiClient(AppsV1Api);
      const workloads = [
        ...(await apps.listNamespacedDeployment({ namespace })).items,
        ...(await apps.listNamespacedStatefulSet({ namespace })).items,
      ];
      const notReady = workloads
        .filter((w) => (w.status?.readyReplicas ?? 0) < (w.spec?.replicas ?? 1))
        .map((w) => w.metadata?.name);
      expect(notReady).toEqual([]);
      expect(workloads.map((w) => w.metadata?.name)).toEqual(
        expect.arrayContaining([
          "hub",
          "proxy",
          `${release}-servicex-app`,
          "xcache",
          "triton",
          "mlflow",
        ]),
      );
      const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).items;
      expect(
        pods.filter((p) => p.status?.phase !== "Running").map((p) => p.metadata?.name),
      ).toEqual([]);
      const endpoints = await kc
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: "coffea-shoppe-endpoints", namespace });
      expect(endpoints.data?.SERVICEX_HOST).toBe(
        `http://${release}-servicex-app.${namespace}.svc:8000`,
      );
      if (profile === "production") {
        const claims = (
          await kc.makeApiClient(CoreV1Api).listNamespacedPersistentVolumeClaim({ namespace })
        ).items;
        expect(
          claims.filter((c) => c.status?.phase !== "Bound").map((c) => c.metadata?.name),
        ).toEqual([]);
        expect(claims.length).toBeGreaterThanOrEqual(5);
      }
    }, 300_000);
  }

  it("is refused by the API server without the ci profile's nodePort fix (pins-check 6)", async () => {
    const err = await install("shoppe-nodeport", "ci", {
      "coffea-casa.jupyterhub.proxy.service.nodePorts.http": "30080",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).output).toContain(
      "Service \"proxy-public\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    );
  }, 300_000);
});
