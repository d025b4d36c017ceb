/**
 * `shoppe images` and `shoppe resources` on the rendered test facility (real helm, loopback
 * chart repository and OCI registry): provenance of every image, drift both ways, and the
 * resource sums per component and in total, checked against numbers worked out by hand from
 * the fixture charts.
 */
import { beforeAll, expect, it } from "vitest";
import { images } from "../../src/actions/images.js";
import { resources } from "../../src/actions/resources.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools } from "../helpers/tools.js";
import { type FacilityProject, RELEASE, type StackDoc, toolPath } from "../support/facility.js";
import { useFacility } from "../support/servers.js";

const Mi = 2 ** 20;
const Gi = 2 ** 30;

describeWithTools("images and resources of the rendered chart", ["helm", "docker-registry"], () => {
  // Dependencies built: the previous, good state every test starts from.
  const facility = useFacility({ buildDeps: true });
  let project: FacilityProject;
  let good: StackDoc;
  beforeAll(() => {
    ({ project, good } = facility());
  });

  it("lists every deployed image with the object it came from, and finds no drift", async () => {
    await project.writeAndRender(good);
    const r = await images(project.ctx);
    expect(r.drift).toBe(false);
    const ci = r.profiles.find((p) => p.profile === "ci");
    expect(ci?.kubeVersion).toBe("1.37.2"); // the newest supported version
    const alpine = ci?.deployed.find((d) => d.image === "alpine:3.6");
    expect(alpine?.canonical).toBe("docker.io/library/alpine:3.6");
    expect(alpine?.pinnedBy).toEqual(["servicex.checks"]);
    expect(alpine?.uses).toEqual([
      {
        component: "servicex",
        object: `Deployment/${RELEASE}-servicex-app`,
        container: "check-postgres",
        list: "initContainers",
        path: "spec.template.spec.initContainers[0]",
      },
    ]);
    // Runtime images: named in config the chart renders, not run by it.
    const status = Object.fromEntries(
      (ci?.pins ?? []).map((p) => [`${p.component}.${p.name}`, p.status]),
    );
    expect(status).toMatchObject({
      "servicex.sidecar": "referenced",
      "servicex.transformer": "referenced",
      "coffea-casa.notebook": "referenced",
      "triton.server": "disabled",
      "mlflow.server": "deployed",
    });
    // mlflow's `helm test` pod runs busybox, which is not part of an install.
    expect(ci?.deployed.map((d) => d.image)).not.toContain("busybox:1.38.0");
    const gpu = r.profiles.find((p) => p.profile === "gpu");
    expect(gpu?.deployed.find((d) => d.image.startsWith("nvcr.io/"))?.uses[0]?.component).toBe(
      "triton",
    );
  });

  it("reports an image that is deployed but not pinned as drift (exit 1)", async () => {
    const stack = structuredClone(good);
    stack.components.servicex.values.app.checksImage = "busybox:1.36.1";
    await project.writeAndRender(stack);
    const r = await images(project.ctx, { profile: "ci" });
    expect(r.drift).toBe(true);
    const ci = r.profiles[0];
    expect(ci?.unpinned.map((d) => [d.image, d.uses[0]?.object, d.uses[0]?.container])).toEqual([
      ["busybox:1.36.1", `Deployment/${RELEASE}-servicex-app`, "check-postgres"],
    ]);
    // And the pinned alpine is no longer deployed anywhere.
    expect(ci?.missing.map((m) => `${m.component}.${m.name}`)).toEqual(["servicex.checks"]);
    const cli = await runCli(["images", "--profile", "ci"], project.root, { PATH: toolPath() });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("DRIFT: deployed but not pinned in stack.yaml");
    expect(cli.stdout).toContain("busybox:1.36.1");
    expect(cli.stdout).toContain("DRIFT: pinned for an enabled component but not deployed");
  });

  it("counts a pin one profile leaves out as used elsewhere, not drift", async () => {
    const stack = structuredClone(good);
    stack.profiles.ci.values.servicex = {
      app: { replicas: 1 },
      didFinder: { CERNOpenData: { enabled: false } },
    };
    await project.writeAndRender(stack);
    const r = await images(project.ctx, { profile: "ci" });
    expect(r.drift).toBe(false);
    expect(r.profiles.map((p) => p.profile)).toEqual(["ci"]);
    const didFinder = r.profiles[0]?.pins.find((p) => p.name === "did-finder");
    expect(didFinder).toMatchObject({ status: "elsewhere", where: ["profile gpu"] });
  });

  it("reports a pinned image no profile deploys as drift (exit 1, --json)", async () => {
    const stack = structuredClone(good);
    stack.components.servicex.values.didFinder = { CERNOpenData: { enabled: false } };
    await project.writeAndRender(stack);
    const cli = await runCli(["--json", "images", "--profile", "ci"], project.root, {
      PATH: toolPath(),
    });
    expect(cli.code).toBe(1);
    const r = JSON.parse(cli.stdout);
    expect(r.drift).toBe(true);
    expect(r.profiles[0].unpinned).toEqual([]);
    expect(r.profiles[0].missing).toEqual([
      expect.objectContaining({
        component: "servicex",
        name: "did-finder",
        image: "sslhep/servicex-did-finder-cernopendata:v1.5.3",
        status: "missing",
      }),
    ]);
  });

  it("sums requests, limits, GPUs and volumes per component times replicas", async () => {
    await project.writeAndRender(good);
    const r = await resources(project.ctx);
    const ci = r.profiles.find((p) => p.profile === "ci");
    const servicex = ci?.components.servicex;
    // app 250m + did finder 100m (0.1) + code generator 100m + rabbitmq 250m; app's init
    // container (100m) runs before it and is smaller.
    expect(servicex?.cpu).toEqual({ requests: 0.7, limits: 1.4 });
    // 256Mi + 128e6 + 128Mi + 256Mi, and 512Mi + 256Mi + 256Mi + 512Mi
    expect(servicex?.memory).toEqual({ requests: 640 * Mi + 128e6, limits: 1536 * Mi });
    expect(servicex?.storage).toBe(8 * Gi); // rabbitmq's claim template, one replica
    expect(servicex?.pods).toBe(4);
    // xcache: the init container (1500m, 1Gi) outweighs the cache (1, 2Gi) for CPU only.
    expect(ci?.components.xcache?.cpu.requests).toBe(1.5);
    expect(ci?.components.xcache?.memory.requests).toBe(2 * Gi);
    expect(ci?.components.xcache?.storage).toBe(50 * Gi);
    expect(ci?.components["coffea-casa"]?.storage).toBe(1 * Gi); // the hub's PVC
    expect(ci?.components.triton).toBeUndefined();
    expect(ci?.total.cpu).toEqual({ requests: 2.9, limits: 5.4 });
    expect(ci?.total.gpus).toBe(0);
    expect(ci?.total.storage).toBe(59 * Gi);
    expect(ci?.total.display.memoryLimits).toBe("8.5Gi");
    expect(ci?.notes).toContain("Pod/mlflow-test-connection is a helm hook (test): left out");

    const gpu = r.profiles.find((p) => p.profile === "gpu");
    // Two ServiceX app replicas (stack values; the ci profile sets one) and Triton with its GPU.
    expect(gpu?.components.servicex?.cpu.requests).toBe(0.95);
    expect(gpu?.components.servicex?.pods).toBe(5);
    expect(gpu?.components.triton?.gpus).toBe(1);
    expect(gpu?.total.gpus).toBe(1);
    expect(gpu?.total.cpu.requests).toBe(5.15);
  });

  it("prints a table per profile and --json for machines", async () => {
    const table = await runCli(["resources", "--profile", "gpu"], project.root, {
      PATH: toolPath(),
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ triton\s+│ 1\s+│ 2\s+│ 4\s+│ 8Gi\s+│ 16Gi\s+│ 1\s+│ 0\s+│/);
    expect(table.stdout).toMatch(/│ total\s+│ 9\s+│/);
    const json = await runCli(["--json", "resources", "--profile", "ci"], project.root, {
      PATH: toolPath(),
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).profiles[0].total.storage).toBe(59 * Gi);
  });
});
