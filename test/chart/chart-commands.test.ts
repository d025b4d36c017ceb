/**
 * The repository mechanics of the chart commands with the real helm (v4 and v3) and the real
 * charts on loopback servers: the HTTP repository stack.yaml names added once, the OCI registry
 * over plain HTTP, helm v3 `--update`, registry login, show and pull, and the packaged umbrella
 * read back. What the real umbrella lints and renders per profile and Kubernetes version is
 * test/upstream/real-umbrella.test.ts.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  type ChartDepsResult,
  chartDeps,
  chartPackage,
  chartTemplate,
} from "../../src/actions/chart.js";
import type { KubeObject } from "../../src/kube/objects.js";
import { openHelm } from "../../src/tools/helm.js";
import type { RealProject, StackDoc } from "../support/real-project.js";
import { type ChartServers, useFacility } from "../support/servers.js";
import { describeWithRealCharts, realChartsOrigin } from "../support/upstream-mirror.js";

const PINNED = {
  "coffea-casa": "2026.1008.3",
  servicex: "1.5.3",
  xcache: "0.1.0",
  triton: "0.1.0",
  mlflow: "1.11.5",
};

async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** Workload names per kind (Deployments, StatefulSets, DaemonSets) of one rendering. */
function workloads(objects: KubeObject[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const o of objects) {
    if (["Deployment", "StatefulSet", "DaemonSet"].includes(o.kind)) {
      out[o.kind] = [...(out[o.kind] ?? []), o.metadata.name].sort();
    }
  }
  return out;
}

describeWithRealCharts(
  `chart deps and package from a loopback HTTP repository and OCI registry serving the real charts of ${realChartsOrigin()}`,
  ["helm", "helm3", "docker-registry"],
  () => {
    const facility = useFacility();
    let servers: ChartServers;
    let project: RealProject;
    let good: StackDoc;
    let built: ChartDepsResult;
    beforeAll(() => {
      ({ servers, project, good } = facility());
    });

    it("adds the one HTTP repository stack.yaml names, fetches from the registry over plain HTTP and locks every pin (helm v4)", async () => {
      const r = await chartDeps(project.ctx);
      built = r;
      expect(r.mode).toBe("build");
      expect(r.plainHttp).toBe(true); // the registry is on loopback
      // coffea-casa and servicex now share one repository URL: added once, named after the first.
      expect(r.repositories).toEqual([
        {
          name: "shoppe-coffea-casa",
          url: servers.repo.url,
          components: ["coffea-casa", "servicex"],
        },
      ]);
      const lock = parseYaml(await readFile(path.join(project.chartDir, "Chart.lock"), "utf8"));
      expect(
        Object.fromEntries(
          lock.dependencies.map((d: { name: string; version: string; repository: string }) => [
            d.name,
            [d.version, d.repository],
          ]),
        ),
      ).toEqual({
        "coffea-casa": [PINNED["coffea-casa"], servers.repo.url],
        servicex: [PINNED.servicex, servers.repo.url],
        xcache: [PINNED.xcache, "file://../xcache"],
        triton: [PINNED.triton, "file://../triton"],
        mlflow: [PINNED.mlflow, servers.registry.chartsUrl],
      });
      expect(lock.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      // charts/ holds the very bytes the servers publish, the pushed OCI layer included.
      for (const a of servers.archives) {
        const d = r.dependencies.find((x) => x.component === a.component);
        expect(d?.archive, a.component).toBe(`${a.chart}-${a.version}.tgz`);
        expect(d?.sha256, a.component).toBe(await sha256(a.file));
      }
      // Helm read the index, then each archive from the repository.
      expect(servers.repo.requests).toEqual(
        expect.arrayContaining([
          "/index.yaml",
          `/coffea-casa-${PINNED["coffea-casa"]}.tgz`,
          `/servicex-${PINNED.servicex}.tgz`,
        ]),
      );
    });

    it("re-resolves with helm v3 (update) to the same archives", async () => {
      const v3 = await chartDeps(project.ctx, { update: true, major: "v3" });
      expect(v3.mode).toBe("update");
      expect(Object.fromEntries(v3.dependencies.map((d) => [d.component, d.version]))).toEqual(
        PINNED,
      );
      // The fetched archives are the same bytes; first-party ones are packaged anew each time.
      const fetched = (r: ChartDepsResult) =>
        r.dependencies.filter((d) => !d.repository.startsWith("file://")).map((d) => d.sha256);
      expect(fetched(v3)).toEqual(fetched(built));
      expect(fetched(v3)).toHaveLength(servers.archives.length);
    });

    it("renders the workloads of every component under helm v4 and v3 alike", async () => {
      const v4 = await chartTemplate(project.ctx, { profile: "ci", kubeVersion: "1.34.13" });
      const v3 = await chartTemplate(project.ctx, {
        profile: "ci",
        kubeVersion: "1.34.13",
        major: "v3",
      });
      expect(v3.renders[0]?.kinds).toEqual(v4.renders[0]?.kinds);
      const release = good.release.name;
      expect(workloads(v4.objects[0] as KubeObject[])).toEqual({
        Deployment: [
          // ServiceX 1.5.3 templates/codegen: one per enabled codeGen (all six are, by default).
          `${release}-code-gen-atlasr21`,
          `${release}-code-gen-atlasr22`,
          `${release}-code-gen-cmssw-5-3-32`,
          `${release}-code-gen-python`,
          `${release}-code-gen-uproot`,
          `${release}-code-gen-uproot-raw`,
          // templates/did-finder-*: CERNOpenData and xrootd on, rucio off in stack.yaml.
          `${release}-did-finder-cernopendata`,
          `${release}-did-finder-xrootd`,
          // Bitnami MinIO in standalone mode (objectStore.internal).
          `${release}-minio`,
          `${release}-servicex-app`,
          "hub", // z2jh: the hub and its proxy; the ci profile turns the user-scheduler off
          "mlflow", // fullnameOverride
          "proxy",
          "triton", // fullnameOverride
        ],
        StatefulSet: [
          // Bitnami PostgreSQL (postgres.enabled: ServiceX never migrates SQLite) and RabbitMQ.
          `${release}-postgresql`,
          `${release}-rabbitmq`,
          "user-placeholder", // z2jh scheduling.userPlaceholder (replicas 0)
          "xcache", // fullnameOverride
        ],
      });
    });

    it("leaves nothing of a disabled component behind", async () => {
      const stack = structuredClone(good);
      stack.components.triton.enabled = false;
      await project.writeAndRender(stack);
      try {
        const r = await chartTemplate(project.ctx, { profile: "ci", kubeVersion: "1.37.2" });
        const objects = r.objects[0] as KubeObject[];
        const triton = objects.filter(
          (o) => o.source?.includes("/charts/triton/") || o.metadata.name.startsWith("triton"),
        );
        expect(triton).toEqual([]);
        const cm = objects.find((o) => o.metadata.name === "coffea-shoppe-endpoints");
        const keys = Object.keys(cm?.data as object);
        expect(keys).not.toContain("TRITON_URL");
        expect(keys).toContain("MLFLOW_TRACKING_URI");
      } finally {
        await project.writeAndRender(good);
      }
    });

    it("logs in to, shows and pulls the real mlflow from the OCI registry under helm v4 and v3", async () => {
      const pushed = servers.archives.find((a) => a.component === "mlflow");
      for (const major of ["v4", "v3"] as const) {
        const helm = openHelm(project.ctx, major);
        const host = servers.registry.host;
        const remote = `${servers.registry.chartsUrl}/mlflow`;
        // The test registry has no users: login succeeds with any, stored in the private home.
        await helm.registryLogin(host, { username: "ci", password: "secret", plainHttp: true });
        const meta = parseYaml(
          await helm.showChart(remote, { version: PINNED.mlflow, plainHttp: true }),
        );
        expect([meta.name, meta.version, meta.appVersion]).toEqual(["mlflow", "1.11.5", "3.15.1"]);
        const dest = path.join(project.root, `pulled-${major}`);
        await mkdir(dest);
        await helm.pull(remote, { version: PINNED.mlflow, destination: dest, plainHttp: true });
        expect(await sha256(path.join(dest, "mlflow-1.11.5.tgz"))).toBe(
          await sha256(pushed?.file as string),
        );
        await helm.registryLogout(host);
      }
    });

    it("packages the umbrella into an archive that renders on its own", async () => {
      const r = await chartPackage(project.ctx, { destination: "out" });
      expect(r.file).toBe(path.join("out", `${good.release.name}-${good.release.version}.tgz`));
      expect(r.sha256).toBe(await sha256(path.join(project.root, r.file)));
      expect(r.dependencies.map((d) => `${d.name}@${d.version}`).sort()).toEqual(
        Object.entries(PINNED)
          .map(([c, v]) => `${c}@${v}`)
          .sort(),
      );
      // To chart deps the loopback servers are upstream, so nothing is recorded as a substitute
      // (the suite's name says which archives are).
      expect(r.substitutions).toEqual([]);
      const text = await servers.helm.template(path.join(project.root, r.file), {
        releaseName: good.release.name,
        valuesFiles: [path.join(project.chartDir, "ci", "ci-values.yaml")],
        kubeVersion: "1.37.2",
      });
      expect(text).toContain(
        "# Source: coffea-shoppe/charts/servicex/templates/app/deployment.yaml",
      );
      expect(text).toContain("# Source: coffea-shoppe/charts/mlflow/templates/deployment.yaml");
    });
  },
);
