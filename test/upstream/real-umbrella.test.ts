/**
 * The main path on the real umbrella: the real stack.yaml and first-party charts, dependencies
 * built by `shoppe chart deps` from the upstream mirror (with its declared Coffea-Casa and
 * MLflow substitutes; or from the upstream repositories where SHOPPE_UPSTREAM_NETWORK=1), then
 * `chart lint` (strict, helm v4 and v3, every profile), `chart template` (every profile × every
 * supported Kubernetes version, no removed API), `images` (zero drift) and `resources`, each
 * through the real CLI; and the rendered umbrella's endpoints and its install without XCache.
 */
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseManifests } from "../../src/kube/objects.js";
import { openHelm } from "../../src/tools/helm.js";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import { createRealProject, type RealProject } from "../support/real-project.js";
import {
  describeWithRealCharts,
  realChartsArgs,
  realChartsOrigin,
  upstreamMode,
} from "../support/upstream-mirror.js";

const env = { PATH: toolPath() };
const KUBE_VERSIONS = ["1.34.11", "1.35.8", "1.36.4", "1.37.0"];

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: { ports?: { port: number }[] };
  data?: Record<string, string>;
}

/** Substitutes the mirror declares; the upstream repositories have none. */
const SUBSTITUTES = upstreamMode() === "mirror" ? 2 : 0;

describeWithRealCharts(
  `the real umbrella built from ${realChartsOrigin()}`,
  ["helm", "helm3"],
  () => {
    let project: RealProject;
    beforeAll(async () => {
      project = await createRealProject();
      const deps = await runCli(["chart", "deps", ...(await realChartsArgs())], project.root, env);
      if (deps.code !== 0) throw new Error(`chart deps failed:\n${deps.stderr}`);
      return () => project.close();
    });

    it("lints every profile strictly under helm v4 and helm v3 (substitutes named)", async () => {
      const r = await runCli(["--json", "chart", "lint"], project.root, env);
      const out = JSON.parse(r.stdout);
      const failed = out.runs.filter((run: { ok: boolean }) => !run.ok);
      expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
      expect(r.code).toBe(0);
      expect(
        out.runs.map((x: { major: string; profile: string }) => `${x.major}/${x.profile}`),
      ).toEqual(["v4/ci", "v4/production", "v3/ci", "v3/production"]);
      expect(r.stderr.match(/^warning: .*, a substitute: /gm) ?? []).toHaveLength(SUBSTITUTES);
    });

    it("renders every profile for every supported Kubernetes version with no removed API", async () => {
      const r = await runCli(["--json", "chart", "template"], project.root, env);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(
        out.renders.map(
          (x: { profile: string; kubeVersion: string }) => `${x.profile}@${x.kubeVersion}`,
        ),
      ).toEqual(["ci", "production"].flatMap((p) => KUBE_VERSIONS.map((v) => `${p}@${v}`)));
      for (const render of out.renders) {
        expect(render.removedApis, `${render.profile}@${render.kubeVersion}`).toEqual([]);
        // Every component's workloads are there, not an empty rendering.
        expect(render.kinds.Deployment).toBeGreaterThan(10);
        expect(render.kinds.StatefulSet).toBeGreaterThanOrEqual(3);
      }
    });

    it("deploys exactly the images stack.yaml pins: zero drift in every profile", async () => {
      const r = await runCli(["--json", "images"], project.root, env);
      const out = JSON.parse(r.stdout);
      const drift = out.profiles.map(
        (p: { profile: string; unpinned: { image: string }[]; missing: { image: string }[] }) => ({
          profile: p.profile,
          unpinned: p.unpinned.map((d) => d.image),
          missing: p.missing.map((m) => m.image),
        }),
      );
      expect(drift).toEqual([
        { profile: "ci", unpinned: [], missing: [] },
        { profile: "production", unpinned: [], missing: [] },
      ]);
      expect(r.code).toBe(0);
      const production = out.profiles[1];
      const status = (name: string) =>
        production.pins.find(
          (p: { component: string; name: string }) => `${p.component}.${p.name}` === name,
        )?.status;
      // The hub is the z2jh 4.4.1 image the stack sets, not Coffea-Casa's own 1.2.0.
      expect(status("coffea-casa.hub")).toBe("deployed");
      expect(production.deployed.map((d: { image: string }) => d.image)).toContain(
        "quay.io/jupyterhub/k8s-hub:4.4.1",
      );
      expect(status("coffea-casa.worker")).toBe("runtime");
      expect(status("servicex.transformer-atlas-r22")).toBe("referenced");
      expect(status("servicex.checks")).toBe("deployed");
      // ServiceX's PostgreSQL runs in both profiles (the ci profile cannot use SQLite).
      const ci = out.profiles[0];
      expect(ci.pins.find((p: { name: string }) => p.name === "postgresql")).toMatchObject({
        status: "deployed",
      });
    });

    it("sums the resources each profile asks for, per component", async () => {
      const r = await runCli(["--json", "resources"], project.root, env);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      const [ci, production] = out.profiles;
      expect(Object.keys(ci.components).sort()).toEqual([
        "coffea-casa",
        "mlflow",
        "servicex",
        "triton",
        "xcache",
      ]);
      // The ci profile is small enough for a test cluster; production asks for much more.
      expect(ci.total.cpu.requests).toBeLessThan(2);
      expect(production.total.memory.requests).toBeGreaterThan(10 * ci.total.memory.requests);
      expect(production.total.storage).toBeGreaterThan(500 * 2 ** 30);
      expect(ci.total.storage).toBeLessThan(production.total.storage);
    });

    it("publishes endpoints that name Services and ports the real charts create", async () => {
      const r = await runCli(
        ["--json", "chart", "template", "-p", "ci", "--kube-version", "1.35.8"],
        project.root,
        env,
      );
      expect(r.code).toBe(0);
      const text = await openHelm(project.ctx, "v4").template(project.chartDir, {
        releaseName: "fac",
        namespace: "lab",
        valuesFiles: [`${project.chartDir}/ci/ci-values.yaml`],
        kubeVersion: "1.35.8",
      });
      const objs = parseAllDocuments(text)
        .map((d) => d.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null);
      const cm = objs.find(
        (o) => o.kind === "ConfigMap" && o.metadata.name === "coffea-shoppe-endpoints",
      );
      expect(cm?.data).toEqual({
        JUPYTERHUB_URL: "http://proxy-public.lab.svc:80",
        SERVICEX_HOST: "http://fac-servicex-app.lab.svc:8000",
        XCACHE_URL: "root://xcache.lab.svc:1094",
        XCACHE_HOST: "xcache.lab.svc",
        XCACHE_PORT: "1094",
        TRITON_URL: "http://triton.lab.svc:8000",
        TRITON_GRPC_URL: "grpc://triton.lab.svc:8001",
        MLFLOW_TRACKING_URI: "http://mlflow.lab.svc:5000",
      });
      const services = new Map(
        objs
          .filter((o) => o.kind === "Service")
          .map((o) => [o.metadata.name, (o.spec?.ports ?? []).map((p) => p.port)]),
      );
      for (const url of Object.values(cm?.data ?? {}).filter((v) => v.includes("://"))) {
        const m = /^\w+:\/\/([^.]+)\.lab\.svc:(\d+)$/.exec(url);
        expect(m, url).not.toBeNull();
        expect(services.get(m?.[1] ?? ""), `Service for ${url}`).toContain(Number(m?.[2]));
      }
    });

    it("installs without XCache once the wired cache prefix is cleared", async () => {
      const helm = openHelm(project.ctx, "v4");
      const base = {
        releaseName: "fac",
        namespace: "lab",
        kubeVersion: "1.35.8",
        valuesFiles: [path.join(project.chartDir, "ci", "ci-values.yaml")],
        set: { "components.xcache.enabled": "false" },
      };
      // Turning XCache off alone is refused: ServiceX's cache prefix is still wired to it.
      await expect(helm.template(project.chartDir, base)).rejects.toMatchObject({
        output: expect.stringMatching(
          /servicex\.transformer\.cachePrefix is wired to xcache \("xcache:1094"\), but components\.xcache\.enabled is false/,
        ),
      });
      // The prefix is pasted into ServiceX's Python config, so "cleared" is the literal "".
      const objects = parseManifests(
        await helm.template(project.chartDir, {
          ...base,
          setString: { "servicex.transformer.cachePrefix": '""' },
        }),
      );
      const from = (chart: string) =>
        objects.filter((o) => o.source?.startsWith(`coffea-shoppe/charts/${chart}/`));
      expect(from("xcache")).toEqual([]);
      expect(from("servicex").length).toBeGreaterThan(0);
      const cm = objects.find((o) => o.metadata.name === "coffea-shoppe-endpoints");
      expect(Object.keys((cm?.data as Record<string, string>) ?? {}).sort()).toEqual([
        "JUPYTERHUB_URL",
        "MLFLOW_TRACKING_URI",
        "SERVICEX_HOST",
        "TRITON_GRPC_URL",
        "TRITON_URL",
      ]);
    });
  },
);
