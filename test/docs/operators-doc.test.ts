/**
 * docs/operators.md and SUPPORT.md, run as a facility operator would run them: the umbrella
 * chart of the real stack (dependencies from loopback stand-ins of the upstream repositories)
 * is packaged with `shoppe chart package`, served by a loopback HTTP chart repository and
 * pushed to a loopback OCI registry (Debian's docker-registry), which stand in for GitHub
 * Pages and ghcr.io; every block then runs in order against one kwok cluster: install, a
 * profile, values, a component off, OCI, a mirror, upgrade, support bundle, uninstall.
 */
import { copyFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chartDeps, chartPackage } from "../../src/actions/chart.js";
import { KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import type { Cluster } from "../../src/e2e/providers/provider.js";
import { readPins } from "../../src/tools/pins.js";
import { ROOT, toolPath } from "../helpers/tools.js";
import { type ChartRepo, startChartRepo } from "../support/chart-repo.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "../support/oci-registry.js";
import { createRealProject, type RealProject, realStack } from "../support/real-project.js";
import { serverHelm } from "../support/servers.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { describeWithUpstream, upstreamMirror } from "../support/upstream-mirror.js";
import { serveUpstreamRepos, type UpstreamRepos } from "../support/upstream-repos.js";
import { type BlockRun, type DocSandbox, docTests, shoppeShim } from "./doc-runner.js";

const TOOLS = [
  "helm",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  DOCKER_REGISTRY,
];

describeWithUpstream("docs/operators.md and SUPPORT.md, run", TOOLS, () => {
  const stateRoot = path.join(ROOT, ".shoppe", "e2e-kwok");
  const name = `operators-doc-${process.pid.toString(36)}`;
  const closers: (() => Promise<unknown>)[] = [];
  let project: RealProject;
  let home: TempDir;
  let cluster: Cluster;
  let sandbox: DocSandbox;
  const outputs: BlockRun[] = [];

  beforeAll(async () => {
    const repos: UpstreamRepos = await serveUpstreamRepos(await upstreamMirror());
    closers.push(() => repos.stop());
    project = await createRealProject(await realStack(repos.urls));
    closers.push(() => project.close());
    await chartDeps(project.ctx);
    const pkg = await chartPackage(project.ctx, { destination: ".shoppe/published" });
    const archive = path.resolve(project.root, pkg.file);
    const h = await serverHelm();
    closers.push(h.close);
    const chartRepo: ChartRepo = await startChartRepo(h.helm, [archive]);
    closers.push(chartRepo.close);
    const registry: OciRegistry = await startOciRegistry(DOCKER_REGISTRY);
    closers.push(registry.close);
    await registry.push(h.helm, archive);
    const provider = new KwokProvider(project.ctx, { stateRoot });
    cluster = await provider.create({
      name,
      nodes: 2,
      nodeResources: { cpu: "32", memory: "128Gi", gpus: 1 },
      kubernetesVersion: readPins(ROOT).kube ?? "",
      lifetime: "session",
    });
    closers.push(() => provider.delete(name));
    // An operator works in a checkout: shoppe doctor reads the pins there.
    await mkdir(path.join(project.root, "scripts"), { recursive: true });
    await copyFile(
      path.join(ROOT, "scripts/tool-versions.env"),
      path.join(project.root, "scripts/tool-versions.env"),
    );
    home = await tempDir("operator-home");
    closers.push(home.remove);
    const bin = await shoppeShim(path.join(home.path, "bin"));
    sandbox = {
      cwd: project.root,
      env: {
        PATH: `${bin}:${toolPath()}`,
        HOME: home.path,
        KUBECONFIG: cluster.kubeconfig,
        NO_COLOR: "1",
      },
      // GitHub Pages and ghcr.io are the loopback repository and registry (plain HTTP).
      replace: [
        ["https://coffeateam.github.io/coffea-shoppe", chartRepo.url],
        [
          "oci://ghcr.io/coffeateam/charts/coffea-shoppe",
          `${registry.chartsUrl}/coffea-shoppe --plain-http`,
        ],
      ],
    };
  }, 600_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
  }, 180_000);

  docTests("docs/operators.md", () => sandbox, {
    timeoutMs: 300_000,
    check: (r) => void outputs.push(r),
  });
  docTests("SUPPORT.md", () => sandbox, { check: (r) => void outputs.push(r) });

  it("did what the pages say: installed, switched Triton off, bundled, uninstalled", async () => {
    const said = (needle: string) => outputs.some((o) => o.output.includes(needle));
    expect(said("STATUS: deployed")).toBe(true);
    expect(said("  triton:\n    enabled: false")).toBe(true);
    expect(said("# Support bundle")).toBe(true);
    const bundles = (await readdir(project.root)).filter((f) =>
      /^shoppe-support-.*\.tar\.gz$/.test(f),
    );
    expect(bundles).toHaveLength(1);
    for (const b of ["support-bundle.tar.gz", ...bundles]) {
      expect((await stat(path.join(project.root, b))).mode & 0o777, b).toBe(0o600);
    }
    const doctor = JSON.parse(await readFile(path.join(project.root, "doctor.json"), "utf8"));
    expect(doctor.tools.map((t: { name: string }) => t.name)).toContain("helm");
    expect(said('release "coffea-shoppe" uninstalled')).toBe(true);
  });
});
