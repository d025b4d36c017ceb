/**
 * `shoppe mirror create` on the real stack: from loopback stand-ins of the upstream
 * repositories (the real charts and full published indexes, as a facility proxy serves them),
 * then, with those switched off, `chart deps --mirror` and `chart template` from the mirror
 * alone; from another mirror, substitutes carried over; and the ownership rule of its output.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import { copyMirror } from "../support/mirror-edits.js";
import { createRealProject, type RealProject, realStack } from "../support/real-project.js";
import { snapshotTree } from "../support/tree.js";
import { CASA, describeWithUpstream, upstreamMirror } from "../support/upstream-mirror.js";
import { serveUpstreamRepos, type UpstreamRepos } from "../support/upstream-repos.js";

const env = { PATH: toolPath() };

describeWithUpstream("mirror create (real stack)", ["helm", "helm3"], () => {
  let derived: string;
  let repos: UpstreamRepos;
  let project: RealProject;
  beforeAll(async () => {
    derived = await upstreamMirror();
    repos = await serveUpstreamRepos(derived);
    project = await createRealProject(await realStack(repos.urls));
  });
  afterAll(async () => {
    await repos?.stop();
    await project?.close();
  });

  it("mirrors the loopback upstream (serving the coffea-casa and mlflow substitutes as published), then builds and renders with the sources off", async () => {
    const r = await runCli(["--json", "mirror", "create", "site-mirror"], project.root, env);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toBe("upstream");
    expect(
      out.charts.map((c: { component: string; archive: string }) => [c.component, c.archive]),
    ).toEqual([
      ["coffea-casa", `charts/coffea-casa/coffea-casa-${CASA.version}.tgz`],
      ["servicex", "charts/ssl-helm-charts/servicex-1.5.3.tgz"],
      ["mlflow", "charts/community-charts/mlflow-1.11.5.tgz"],
    ]);
    const site = path.join(project.root, "site-mirror");
    expect((await readdir(site)).sort()).toEqual([
      ".shoppe-mirror.json",
      "charts",
      "images.txt",
      "mirror.yaml",
    ]);
    const mirrorYaml = parse(await readFile(path.join(site, "mirror.yaml"), "utf8"));
    expect(mirrorYaml.charts.map((c: { path: string }) => c.path)).toEqual([
      "charts/coffea-casa",
      "charts/ssl-helm-charts",
      "charts/community-charts",
    ]);
    expect(mirrorYaml.substitutes).toBeUndefined();
    // Each index holds the pinned entries as published (upstream URLs and digests), no others.
    const sx = parse(await readFile(path.join(site, "charts/ssl-helm-charts/index.yaml"), "utf8"));
    expect(Object.keys(sx.entries)).toEqual(["servicex"]);
    expect(sx.entries.servicex.map((e: { version: string }) => e.version)).toEqual(["1.5.3"]);
    expect(sx.entries.servicex[0].digest).toBe(
      "11a10c6e1573e63c0d08ec74e7cd96b4094629632dc4be03877dbecbab40c5b8",
    );
    expect(sx.entries.servicex[0].urls[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/ssl-helm-charts\/servicex-1\.5\.3\.tgz$/,
    );
    // images.txt: every deployed and pinned image, one per line, sorted and unique.
    const images = (await readFile(path.join(site, "images.txt"), "utf8"))
      .split("\n")
      .filter(Boolean);
    expect(images).toEqual(out.images);
    expect(images).toEqual([...new Set(images)].sort());
    expect(images).toEqual(
      expect.arrayContaining([
        "docker.io/bitnamilegacy/rabbitmq:3.11.6-debian-11-r0",
        "docker.io/burakince/mlflow:3.15.1",
        "docker.io/sslhep/servicex_app:v1.5.3",
        "hub.opensciencegrid.org/coffea-casa/cc-dask-alma9:2026.10.08.3",
        "hub.opensciencegrid.org/osg-htc/xcache:25-release",
        "nvcr.io/nvidia/tritonserver:26.07-py3",
      ]),
    );
    // The kind node images too, by digest: the e2e tier's clusters run them.
    const nodeImages = images.filter((i) => i.startsWith("docker.io/kindest/node:"));
    expect(nodeImages).toHaveLength(4);
    for (const i of nodeImages)
      expect(i).toMatch(/^docker\.io\/kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    // Deterministic: writing it again over itself gives the same bytes.
    const first = await snapshotTree(site);
    expect((await runCli(["mirror", "create", "site-mirror"], project.root, env)).code).toBe(0);
    expect(await snapshotTree(site)).toEqual(first);
    expect(repos.requests).toContain("/ssl-helm-charts/index.yaml");

    await repos.stop(); // the original sources are off from here on
    const deps = await runCli(
      ["--json", "chart", "deps", "--mirror", "site-mirror"],
      project.root,
      env,
    );
    expect(deps.stderr).not.toContain("error");
    expect(deps.code).toBe(0);
    expect(JSON.parse(deps.stdout).dependencies.map((d: { archive: string }) => d.archive)).toEqual(
      [
        `coffea-casa-${CASA.version}.tgz`,
        "servicex-1.5.3.tgz",
        "xcache-0.1.0.tgz",
        "triton-0.1.0.tgz",
        "mlflow-1.11.5.tgz",
      ],
    );
    const tpl = await runCli(
      ["--json", "chart", "template", "--kube-version", "1.37.2"],
      project.root,
      env,
    );
    expect(tpl.code).toBe(0);
    const rendered = JSON.parse(tpl.stdout);
    expect(rendered.ok).toBe(true);
    expect(rendered.renders.map((x: { profile: string }) => x.profile)).toEqual([
      "ci",
      "production",
    ]);
  });

  it("copies the substitutes from another mirror, declared again, and refuses what it does not own", async () => {
    const real = await createRealProject();
    try {
      const r = await runCli(
        ["--json", "mirror", "create", "--mirror", derived, "out"],
        real.root,
        env,
      );
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.source).toBe(derived);
      expect(
        out.substitutions.map((s: { chart: string; reason: string }) => [
          s.chart,
          s.reason.slice(0, 40),
        ]),
      ).toEqual([
        ["coffea-casa", CASA.reason.slice(0, 40)],
        ["mlflow", "the published archive is not available h"],
      ]);
      expect(r.stderr.match(/^warning: .* is a substitute/gm)).toHaveLength(2);
      const written = parse(await readFile(path.join(real.root, "out", "mirror.yaml"), "utf8"));
      expect(written.substitutes.map((s: { archive: string }) => s.archive)).toEqual([
        `charts/coffea-casa/coffea-casa-${CASA.version}.tgz`,
        "charts/community-charts/mlflow-1.11.5.tgz",
      ]);
      // A subset: the jupyterhub folder is not needed by the umbrella itself.
      expect((await readdir(path.join(real.root, "out", "charts"))).sort()).toEqual([
        "coffea-casa",
        "community-charts",
        "ssl-helm-charts",
      ]);
      const deps = await runCli(["--json", "chart", "deps", "--mirror", "out"], real.root, env);
      expect(deps.code).toBe(0);
      expect(JSON.parse(deps.stdout).substitutions).toHaveLength(2);

      await mkdir(path.join(real.root, "busy"));
      await writeFile(path.join(real.root, "busy", "notes.txt"), "mine\n");
      const busy = await runCli(["mirror", "create", "--mirror", derived, "busy"], real.root, env);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(
        "failed to write the mirror busy: it is not empty and has no .shoppe-mirror.json",
      );
      expect(await readdir(path.join(real.root, "busy"))).toEqual(["notes.txt"]);
      const self = await runCli(["mirror", "create", "--mirror", "out", "out"], real.root, env);
      expect(self.code).toBe(2);
      expect(self.stderr).toContain("it is the mirror to copy from");
      // A parent that exists but cannot hold a directory: one line, never a hang.
      const proc = await runCli(
        ["mirror", "create", "--mirror", derived, "/proc/shoppe-mirror"],
        real.root,
        env,
      );
      expect(proc.code).toBe(1);
      expect(proc.stderr).toMatch(
        /^error: failed to write the mirror \/proc\/shoppe-mirror: ENOENT/m,
      );
      expect(proc.stderr).not.toContain("internal error");
    } finally {
      await real.close();
    }
  });

  it("refuses a version upstream does not publish, and an archive that is not the one its index publishes", async () => {
    // Stand-ins that do not vouch for the substitutes: their index keeps the published digests.
    const plain = await copyMirror(derived, async (dir) => {
      const text = await readFile(path.join(dir, "mirror.yaml"), "utf8");
      await writeFile(path.join(dir, "mirror.yaml"), text.slice(0, text.indexOf("substitutes:")));
    });
    const upstream = await serveUpstreamRepos(plain.path);
    const stack = await realStack(upstream.urls);
    stack.components.servicex.chart.version = "1.5.99";
    const p = await createRealProject(stack);
    try {
      const missing = await runCli(["mirror", "create", "out"], p.root, env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /failed to mirror component "servicex": http:\/\/127\.0\.0\.1:\d+\/ssl-helm-charts has no servicex 1\.5\.99 in its index; pin versions the repositories publish/,
      );
      expect(missing.stderr).toMatch(/stack\.yaml:\d+:\d+: components\.servicex\.chart\.version/);
      stack.components.servicex.chart.version = "1.5.3";
      await p.writeAndRender(stack);
      const wrong = await runCli(["mirror", "create", "out"], p.root, env);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(
        /failed to mirror component "coffea-casa": \S+coffea-casa-2026\.1008\.3\.tgz is not the chart \S+ publishes \(sha256 [0-9a-f]{64}, its index says 53b73968/,
      );
      expect(await readdir(p.root)).not.toContain("out");
    } finally {
      await upstream.stop();
      await p.close();
      await plain.remove();
    }
  });

  it("refuses an OCI component: mirrors serve HTTP chart repositories only", async () => {
    const stack = await realStack();
    stack.components.mlflow.chart.repository = "oci://127.0.0.1:5000/charts";
    const oci = await createRealProject(stack);
    try {
      const r = await runCli(["mirror", "create", "--mirror", derived, "out"], oci.root, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'component "mlflow" (chart mlflow 1.11.5 from oci://127.0.0.1:5000/charts) is an OCI chart',
      );
      expect(await readdir(oci.root)).not.toContain("out");
    } finally {
      await oci.close();
    }
  });
});
