/**
 * The chart commands against real helm (v4 and v3), a loopback HTTP chart repository and a
 * loopback OCI registry: deps → lint → template → package on the test facility, asserting on
 * the lock, the parsed objects and the archive.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { chartDeps, chartLint, chartPackage, chartTemplate } from "../../src/actions/chart.js";
import { findObject, type KubeObject, podSpecOf } from "../../src/kube/objects.js";
import { openHelm } from "../../src/tools/helm.js";
import { describeWithTools } from "../helpers/tools.js";
import { type FacilityProject, RELEASE } from "../support/facility.js";
import { type ChartServers, useFacility } from "../support/servers.js";

describeWithTools(
  "chart deps, lint, template, package",
  ["helm", "helm3", "docker-registry"],
  () => {
    const facility = useFacility();
    let servers: ChartServers;
    let project: FacilityProject;
    beforeAll(() => {
      ({ servers, project } = facility());
    });

    it("builds the dependencies with helm v4 and locks every pinned version", async () => {
      const r = await chartDeps(project.ctx);
      expect(r.mode).toBe("build");
      expect(r.plainHttp).toBe(true); // the registry is on loopback
      expect(r.repositories).toEqual([
        {
          name: "shoppe-coffea-casa",
          url: servers.repo.url,
          components: ["coffea-casa", "servicex"],
        },
      ]);
      const lock = parseYaml(await readFile(path.join(project.chartDir, "Chart.lock"), "utf8"));
      const versions = Object.fromEntries(
        lock.dependencies.map((d: { name: string; version: string }) => [d.name, d.version]),
      );
      expect(versions).toEqual({
        "coffea-casa": "2026.1008.3",
        servicex: "1.5.3",
        xcache: "0.1.0",
        triton: "0.1.0",
        mlflow: "1.11.5",
      });
      expect(lock.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(r.dependencies.map((d) => d.archive).sort()).toEqual([
        "coffea-casa-2026.1008.3.tgz",
        "mlflow-1.11.5.tgz",
        "servicex-1.5.3.tgz",
        "triton-0.1.0.tgz",
        "xcache-0.1.0.tgz",
      ]);
      for (const d of r.dependencies) expect(d.sha256).toMatch(/^[a-f0-9]{64}$/);
      // Helm fetched the HTTP charts from our repository (index, then each archive).
      expect(servers.repo.requests).toContain("/index.yaml");
      expect(servers.repo.requests).toContain("/servicex-1.5.3.tgz");
    });

    it("re-resolves the dependencies with helm v3 (update) to the same versions", async () => {
      const r = await chartDeps(project.ctx, { update: true, major: "v3" });
      expect(r.mode).toBe("update");
      expect(Object.fromEntries(r.dependencies.map((d) => [d.component, d.version]))).toEqual({
        "coffea-casa": "2026.1008.3",
        servicex: "1.5.3",
        xcache: "0.1.0",
        triton: "0.1.0",
        mlflow: "1.11.5",
      });
    });

    it("lints every profile under helm v4 and helm v3 with --strict", async () => {
      const r = await chartLint(project.ctx);
      expect(r.runs.map((x) => `${x.major}/${x.profile}`)).toEqual([
        "v4/ci",
        "v4/gpu",
        "v3/ci",
        "v3/gpu",
      ]);
      expect(r.runs.filter((x) => !x.ok)).toEqual([]);
      expect(r.ok).toBe(true);
    });

    it("renders each profile for each supported Kubernetes version", async () => {
      const r = await chartTemplate(project.ctx, { namespace: "af" });
      expect(r.renders.map((x) => `${x.profile}@${x.kubeVersion}`)).toEqual([
        "ci@1.34.13",
        "ci@1.37.2",
        "gpu@1.34.13",
        "gpu@1.37.2",
      ]);
      expect(r.ok).toBe(true);
      const ci = r.renders[0];
      expect(ci?.kinds).toEqual({
        ConfigMap: 2, // the umbrella's endpoints and ServiceX's config
        Deployment: 5, // hub, servicex app, did finder, code generator, mlflow
        PersistentVolumeClaim: 1,
        Pod: 1, // mlflow's helm test pod
        Service: 5, // proxy-public, hub, servicex app, mlflow, xcache
        StatefulSet: 2, // rabbitmq, xcache
      });
      expect(r.renders[2]?.kinds.Deployment).toBe(6); // + triton
    });

    it("publishes endpoints that match the Services the component charts create", async () => {
      const r = await chartTemplate(project.ctx, {
        profile: "gpu",
        kubeVersion: "1.37.2",
        namespace: "af",
      });
      const objects = r.objects[0] as KubeObject[];
      const cm = objects.find(
        (o) => o.kind === "ConfigMap" && o.source?.startsWith(`${RELEASE}/templates/`),
      );
      const data = cm?.data as Record<string, string>;
      expect(Object.keys(data).sort()).toEqual([
        "JUPYTERHUB_URL",
        "MLFLOW_TRACKING_URI",
        "SERVICEX_HOST",
        "TRITON_URL",
        "XCACHE_URL",
      ]);
      for (const [env, url] of Object.entries(data)) {
        const u = new URL(url);
        const [service, namespace] = u.hostname.split(".");
        expect(namespace, env).toBe("af");
        const svc = findObject(objects, "Service", service as string);
        expect(svc, `${env}: Service ${service}`).toBeDefined();
        const spec = svc?.spec as { ports?: { port: number }[] } | undefined;
        const ports = (spec?.ports ?? []).map((p) => p.port);
        expect(ports, `${env}: port of ${service}`).toContain(Number(u.port || 80));
      }
      expect(data.SERVICEX_HOST).toBe(`http://${RELEASE}-servicex-app.af.svc:8000`);
      // The hub hands every endpoint to notebooks through jupyterhub.singleuser.extraEnv.
      const hub = findObject(objects, "Deployment", "hub") as KubeObject;
      const containers = podSpecOf(hub)?.containers as
        | { env?: { name: string; valueFrom?: unknown }[] }[]
        | undefined;
      const env = containers?.[0]?.env ?? [];
      expect(env.find((e) => e.name === "MLFLOW_TRACKING_URI")?.valueFrom).toEqual({
        configMapKeyRef: { name: cm?.metadata.name, key: "MLFLOW_TRACKING_URI", optional: true },
      });
    });

    it("leaves nothing of a disabled component behind", async () => {
      const r = await chartTemplate(project.ctx, { profile: "ci", kubeVersion: "1.37.2" });
      const objects = r.objects[0] as KubeObject[];
      const triton = objects.filter(
        (o) => o.source?.includes("/charts/triton/") || o.metadata.name.includes("triton"),
      );
      expect(triton).toEqual([]);
      const cm = objects.find(
        (o) => o.kind === "ConfigMap" && o.source?.startsWith(`${RELEASE}/templates/`),
      );
      expect(Object.keys(cm?.data as object)).not.toContain("TRITON_URL");
    });

    it("renders the same objects under helm v3", async () => {
      const v4 = await chartTemplate(project.ctx, { profile: "ci", kubeVersion: "1.34.13" });
      const v3 = await chartTemplate(project.ctx, {
        profile: "ci",
        kubeVersion: "1.34.13",
        major: "v3",
      });
      expect(v3.renders[0]?.kinds).toEqual(v4.renders[0]?.kinds);
    });

    it("logs in to, shows and pulls from the OCI registry under helm v4 and v3", async () => {
      for (const major of ["v4", "v3"] as const) {
        const helm = openHelm(project.ctx, major);
        const host = servers.registry.host;
        const remote = `${servers.registry.chartsUrl}/mlflow`;
        // The test registry has no users: login succeeds with any, and is stored in the private home.
        await helm.registryLogin(host, { username: "ci", password: "secret", plainHttp: true });
        const meta = parseYaml(
          await helm.showChart(remote, { version: "1.11.5", plainHttp: true }),
        );
        expect([meta.name, meta.version]).toEqual(["mlflow", "1.11.5"]);
        const dest = path.join(project.root, `pulled-${major}`);
        await mkdir(dest);
        await helm.pull(remote, {
          version: "1.11.5",
          destination: dest,
          plainHttp: true,
          untar: true,
        });
        expect(
          parseYaml(await readFile(path.join(dest, "mlflow", "Chart.yaml"), "utf8")).version,
        ).toBe("1.11.5");
        await helm.registryLogout(host);
      }
    });

    it("packages a chart archive that helm can read back", async () => {
      const r = await chartPackage(project.ctx, { destination: "out" });
      expect(r.file).toBe(path.join("out", `${RELEASE}-0.3.0.tgz`));
      expect(r.sha256).toMatch(/^[a-f0-9]{64}$/);
      expect(r.bytes).toBeGreaterThan(1000);
      expect(r.dependencies.map((d) => `${d.name}@${d.version}`).sort()).toEqual([
        "coffea-casa@2026.1008.3",
        "mlflow@1.11.5",
        "servicex@1.5.3",
        "triton@0.1.0",
        "xcache@0.1.0",
      ]);
      // The archive renders on its own: dependencies are inside it.
      const text = await servers.helm.template(path.join(project.root, r.file), {
        releaseName: RELEASE,
        valuesFiles: [path.join(project.chartDir, "ci", "ci-values.yaml")],
      });
      expect(text).toContain("kind: StatefulSet");
    });
  },
);
