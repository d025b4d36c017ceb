/**
 * `shoppe images` and `shoppe resources` on the real umbrella built from the loopback servers
 * (real helm, real charts): where each image runs, how each pin is used (deployed, referenced,
 * started at run time, deployed only under another profile), drift both ways, and the resource
 * sums per component and in total, worked out from the charts' values and the profiles.
 */
import { beforeAll, expect, it } from "vitest";
import { images, type ProfileImages } from "../../src/actions/images.js";
import { resources } from "../../src/actions/resources.js";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import type { RealProject, StackDoc } from "../support/real-project.js";
import { useFacility } from "../support/servers.js";
import { describeWithRealCharts, realChartsOrigin } from "../support/upstream-mirror.js";

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const env = { PATH: toolPath() };
const app = (name: string) => `coffea-shoppe-${name}`; // ServiceX names objects after the release

/** `component.name` → status of every pin in one profile. */
function statuses(p: ProfileImages | undefined): Record<string, string> {
  return Object.fromEntries((p?.pins ?? []).map((x) => [`${x.component}.${x.name}`, x.status]));
}

describeWithRealCharts(
  `images and resources of the real charts of ${realChartsOrigin()} served on loopback`,
  ["helm", "docker-registry"],
  () => {
    // Dependencies built: the good state every test starts from.
    const facility = useFacility({ buildDeps: true });
    let project: RealProject;
    let good: StackDoc;
    beforeAll(() => {
      ({ project, good } = facility());
    });

    it("lists every deployed image with the objects that run it, and how each pin is used", async () => {
      await project.writeAndRender(good);
      const r = await images(project.ctx);
      expect(r.drift).toBe(false);
      const [ci, production] = r.profiles;
      expect(ci?.kubeVersion).toBe("1.37.0"); // the newest supported version
      // ServiceX's did finders wait for their source with app.checksImage (the stack pins
      // ncsa/checks:1.0.0, written without registry), and the app waits for PostgreSQL with it
      // (postgres.enabled: both profiles, SQLite is never migrated).
      const checks = ci?.deployed.find((d) => d.image === "ncsa/checks:1.0.0");
      expect(checks?.canonical).toBe("docker.io/ncsa/checks:1.0.0");
      expect(checks?.pinnedBy).toEqual(["servicex.checks"]);
      expect(checks?.uses).toEqual([
        {
          component: "servicex",
          object: `Deployment/${app("servicex-app")}`,
          container: "check-postgresql",
          list: "initContainers",
          path: "spec.template.spec.initContainers[0]",
        },
        ...["cernopendata", "xrootd"].map((f) => ({
          component: "servicex",
          object: `Deployment/${app(`did-finder-${f}`)}`,
          container: "check-url",
          list: "initContainers",
          path: "spec.template.spec.initContainers[0]",
        })),
      ]);
      expect(
        production?.deployed
          .find((d) => d.image === "ncsa/checks:1.0.0")
          ?.uses.map((u) => `${u.object} ${u.container}`),
      ).toContain(`Deployment/${app("servicex-app")} check-postgresql`);
      // Triton's model-init container and its `helm test` pod run the same busybox; the test
      // pod is no part of an install.
      const busybox = ci?.deployed.find((d) => d.canonical === "docker.io/library/busybox:1.38.0");
      expect(busybox?.uses.map((u) => `${u.object} ${u.list}/${u.container}`)).toEqual([
        "Deployment/default/triton initContainers/fetch-models",
      ]);
      expect(statuses(ci)).toMatchObject({
        // Named in config the charts render, started by the component at run time.
        "servicex.sidecar": "referenced",
        "servicex.transformer-uproot": "referenced",
        "servicex.transformer-cms-aod": "referenced",
        // Started by what the notebook image runs: stack.yaml says so (startedBy).
        "coffea-casa.worker": "runtime",
        // Only production's image pullers and user-scheduler run these.
        "coffea-casa.notebook": "elsewhere",
        "coffea-casa.user-scheduler": "elsewhere",
        "servicex.postgresql": "deployed",
        "coffea-casa.hub": "deployed",
        "mlflow.server": "deployed",
      });
      const pin = (p: ProfileImages | undefined, name: string) =>
        p?.pins.find((x) => `${x.component}.${x.name}` === name);
      expect(pin(ci, "servicex.sidecar")?.where).toEqual([
        `ConfigMap/${app("flask-config")} data.app.conf`,
      ]);
      expect(pin(ci, "servicex.transformer-uproot")?.where).toEqual(
        ["python", "uproot", "uproot-raw"].map(
          (g) => `Deployment/${app(`code-gen-${g}`)} spec.template.spec.containers[0].env[1].value`,
        ),
      );
      const worker = good.components["coffea-casa"].images.find(
        (i: { name: string }) => i.name === "worker",
      );
      expect(pin(ci, "coffea-casa.worker")?.where).toEqual([worker.startedBy]);
      expect(pin(ci, "coffea-casa.notebook")?.where).toEqual(["profile production"]);
      expect(statuses(production)["coffea-casa.notebook"]).toBe("deployed");
      expect(
        production?.deployed
          .find((d) => d.pinnedBy.includes("coffea-casa.notebook"))
          ?.uses.map((u) => u.object),
      ).toContain("DaemonSet/continuous-image-puller");
    });

    it("reports an image deployed but not pinned, and the pin it displaced, as drift (exit 1)", async () => {
      const stack = structuredClone(good);
      stack.components.servicex.values.app.checksImage = "busybox:1.36.1";
      await project.writeAndRender(stack);
      const r = await images(project.ctx, { profile: "ci" });
      expect(r.drift).toBe(true);
      const ci = r.profiles[0];
      expect(ci?.unpinned.map((d) => [d.image, d.uses.map((u) => u.object)])).toEqual([
        [
          "busybox:1.36.1",
          [
            `Deployment/${app("servicex-app")}`,
            `Deployment/${app("did-finder-cernopendata")}`,
            `Deployment/${app("did-finder-xrootd")}`,
          ],
        ],
      ]);
      expect(ci?.missing.map((m) => `${m.component}.${m.name}`)).toEqual(["servicex.checks"]);
      const cli = await runCli(["images", "--profile", "ci"], project.root, env);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain("DRIFT: deployed but not pinned in stack.yaml");
      expect(cli.stdout).toContain("busybox:1.36.1");
      expect(cli.stdout).toContain("DRIFT: pinned for an enabled component but not deployed");
    });

    it("reports a pinned image no profile deploys as drift (exit 1, --json)", async () => {
      const stack = structuredClone(good);
      stack.components.servicex.values.didFinder.CERNOpenData = { enabled: false };
      await project.writeAndRender(stack);
      const cli = await runCli(["--json", "images", "--profile", "ci"], project.root, env);
      expect(cli.code).toBe(1);
      const r = JSON.parse(cli.stdout);
      expect(r.drift).toBe(true);
      expect(r.profiles[0].unpinned).toEqual([]);
      expect(r.profiles[0].missing).toEqual([
        expect.objectContaining({
          component: "servicex",
          name: "did-finder-cernopendata",
          image: "sslhep/servicex-did-finder-cernopendata:v1.5.3",
          status: "missing",
        }),
      ]);
    });

    it("sums requests, limits and volumes per component times replicas, per profile", async () => {
      await project.writeAndRender(good);
      const r = await resources(project.ctx);
      const [ci, production] = r.profiles;
      const amounts = (c: { pods: number; cpu: object; memory: object; storage: number }) => ({
        pods: c.pods,
        cpu: c.cpu,
        memory: c.memory,
        storage: c.storage,
      });
      // Only what the profiles set (stack.yaml) and the charts' own defaults count: z2jh,
      // ServiceX, RabbitMQ and MinIO request nothing by default. Coffea-Casa's numbers are read
      // from the chart the mirror holds (its 2026.08.12.2 values, z2jh 4.4.0): a difference on
      // the published 2026.1008.3 (SHOPPE_UPSTREAM_NETWORK=1) is a change to look at.
      expect(
        Object.fromEntries(Object.entries(ci?.components ?? {}).map(([k, v]) => [k, amounts(v)])),
      ).toEqual({
        // hub + proxy (the user-placeholder has z2jh's 0 replicas; no user-scheduler in ci):
        // hub 10m/128Mi + chp 10m/32Mi from the ci profile; the hub DB is in memory.
        "coffea-casa": {
          pods: 2,
          cpu: { requests: 0.02, limits: 0 },
          memory: { requests: 160 * Mi, limits: 0 },
          storage: 0,
        },
        // The ci profile: 10m/256Mi, limit 1Gi.
        mlflow: {
          pods: 1,
          cpu: { requests: 0.01, limits: 0 },
          memory: { requests: 256 * Mi, limits: Gi },
          storage: 0,
        },
        // app, 6 code generators, 2 did finders, MinIO, RabbitMQ, PostgreSQL; the app (ci:
        // 50m/256Mi) and PostgreSQL (ServiceX's default 250m, Bitnami's 256Mi) ask;
        // persistence off for RabbitMQ, MinIO and PostgreSQL.
        servicex: {
          pods: 12,
          cpu: { requests: 0.3, limits: 0 },
          memory: { requests: 512 * Mi, limits: 0 },
          storage: 0,
        },
        // The larger of the model-init container (chart: 50m/64Mi, limit 256Mi) and the server
        // (ci: 10m/128Mi, limit 2Gi): 50m, 128Mi, 2Gi; the models are in an emptyDir.
        triton: {
          pods: 1,
          cpu: { requests: 0.05, limits: 0 },
          memory: { requests: 128 * Mi, limits: 2 * Gi },
          storage: 0,
        },
        // The ci profile: 10m/64Mi, limit 1536Mi; the cache is an emptyDir.
        xcache: {
          pods: 1,
          cpu: { requests: 0.01, limits: 0 },
          memory: { requests: 64 * Mi, limits: 1536 * Mi },
          storage: 0,
        },
      });
      expect(amounts(ci?.total as never)).toEqual({
        pods: 17,
        cpu: { requests: 0.39, limits: 0 },
        memory: { requests: 1120 * Mi, limits: 4.5 * Gi },
        storage: 0,
      });
      expect(ci?.total.gpus).toBe(0);
      expect(ci?.notes).toContain("Pod/default/triton-test-health is a helm hook (test): left out");

      const p = production?.components;
      // + two user-schedulers (Coffea-Casa's replicas: 2) and the continuous image puller (a
      // DaemonSet, counted once), none of which asks; Coffea-Casa sets the proxy's requests to
      // 0, so only the hub asks (production: 200m/512Mi, limit 2Gi); its 5Gi database claim.
      expect(amounts(p?.["coffea-casa"] as never)).toEqual({
        pods: 5,
        cpu: { requests: 0.2, limits: 0 },
        memory: { requests: 512 * Mi, limits: 2 * Gi },
        storage: 5 * Gi,
      });
      // + PostgreSQL (postgres.enabled): app 500m/1Gi + PostgreSQL's ServiceX default 250m and
      // Bitnami default 256Mi; MinIO 100Gi (profile) + RabbitMQ 8Gi + PostgreSQL 8Gi (Bitnami
      // default sizes) once persistence is on.
      expect(amounts(p?.servicex as never)).toEqual({
        pods: 12,
        cpu: { requests: 0.75, limits: 0 },
        memory: { requests: 1280 * Mi, limits: 0 },
        storage: 116 * Gi,
      });
      // The production profile's requests and limits, and claims: Triton's 50Gi model
      // repository (no init container with source pvc), XCache's 500Gi cache.
      expect(amounts(p?.triton as never)).toEqual({
        pods: 1,
        cpu: { requests: 2, limits: 0 },
        memory: { requests: 8 * Gi, limits: 16 * Gi },
        storage: 50 * Gi,
      });
      expect(amounts(p?.xcache as never)).toEqual({
        pods: 1,
        cpu: { requests: 2, limits: 0 },
        memory: { requests: 8 * Gi, limits: 12 * Gi },
        storage: 500 * Gi,
      });
      expect(amounts(p?.mlflow as never)).toEqual({
        pods: 1,
        cpu: { requests: 0.5, limits: 0 },
        memory: { requests: 2 * Gi, limits: 4 * Gi },
        storage: 0,
      });
      expect(amounts(production?.total as never)).toEqual({
        pods: 20,
        cpu: { requests: 5.45, limits: 0 },
        memory: { requests: 19.75 * Gi, limits: 34 * Gi },
        storage: 671 * Gi,
      });
      expect(production?.notes).toContain(
        "DaemonSet/continuous-image-puller is a DaemonSet: its amounts are per node and counted once",
      );
    });

    it("counts Triton's GPU under a profile that asks for one, in the table and --json", async () => {
      const stack = structuredClone(good);
      stack.profiles.gpu = { description: "Triton on one GPU", values: { triton: { gpus: 1 } } };
      await project.writeAndRender(stack);
      try {
        const r = await resources(project.ctx, { profile: "gpu" });
        const gpu = r.profiles[0];
        // The chart's defaults (1 CPU, 2Gi, limit 4Gi, a 10Gi model claim) and one
        // nvidia.com/gpu limit, which is also the request.
        expect(gpu?.components.triton).toMatchObject({
          pods: 1,
          gpus: 1,
          cpu: { requests: 1, limits: 0 },
          memory: { requests: 2 * Gi, limits: 4 * Gi },
          storage: 10 * Gi,
        });
        expect(gpu?.total.gpus).toBe(1);
        const table = await runCli(["resources", "--profile", "gpu"], project.root, env);
        expect(table.code).toBe(0);
        expect(table.stdout).toMatch(
          /│ triton\s+│ 1\s+│ 1\s+│ 0\s+│ 2Gi\s+│ 4Gi\s+│ 1\s+│ 10Gi\s+│/,
        );
        const json = await runCli(["--json", "resources", "--profile", "gpu"], project.root, env);
        expect(JSON.parse(json.stdout).profiles[0].total.gpus).toBe(1);
      } finally {
        await project.writeAndRender(good);
      }
    });
  },
);
