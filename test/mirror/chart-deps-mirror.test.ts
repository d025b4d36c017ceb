/**
 * `shoppe chart deps --mirror` on the real umbrella (the real stack.yaml and first-party
 * charts) from the upstream mirror, with the Coffea-Casa and MLflow substitutes it declares,
 * under helm v4 and v3; the mirror named by flag, SHOPPE_MIRROR and the config file; `chart
 * package` refusing substitutes. Every bad mirror leaves the chart directory byte-identical.
 */
import { mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { chartDeps } from "../../src/actions/chart.js";
import { createContext } from "../../src/context.js";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import { copyMirror, tarChart } from "../support/mirror-edits.js";
import { createRealProject, type RealProject, type StackDoc } from "../support/real-project.js";
import { tempDir } from "../support/temp.js";
import { CASA, describeWithUpstream, upstreamMirror } from "../support/upstream-mirror.js";

const env = { PATH: toolPath() };

describeWithUpstream(
  "chart deps from the upstream mirror (real umbrella)",
  ["helm", "helm3"],
  () => {
    let mirror: string;
    let project: RealProject;
    let good: StackDoc;
    beforeAll(async () => {
      mirror = await upstreamMirror();
      project = await createRealProject();
      good = structuredClone(project.stack);
      return () => project.close();
    });

    it("builds with helm v4 from the coffea-casa and mlflow substitutes, reporting each", async () => {
      const r = await runCli(["--json", "chart", "deps", "--mirror", mirror], project.root, env);
      expect(r.stderr).not.toContain("error");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.mirror).toBe(mirror);
      expect(
        Object.fromEntries(
          out.dependencies.map((d: { component: string; version: string }) => [
            d.component,
            d.version,
          ]),
        ),
      ).toEqual({
        "coffea-casa": CASA.version,
        servicex: "1.5.3",
        xcache: "0.1.0",
        triton: "0.1.0",
        mlflow: "1.11.5",
      });
      expect(out.substitutions.map((s: { component: string }) => s.component)).toEqual([
        "coffea-casa",
        "mlflow",
      ]);
      expect(out.substitutions[0]).toMatchObject({
        chart: "coffea-casa",
        version: CASA.version,
        reason: CASA.reason,
      });
      expect(out.substitutions[1].reason).toContain("community-charts/helm-charts@9d23d003");
      const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
      expect(warnings).toEqual([
        `warning: coffea-casa: coffea-casa ${CASA.version} is a substitute, not the published chart: ${CASA.reason}`,
        `warning: mlflow: mlflow 1.11.5 is a substitute, not the published chart: ${out.substitutions[1].reason}`,
      ]);
      const record = JSON.parse(
        await readFile(path.join(project.chartDir, ".shoppe-deps.json"), "utf8"),
      );
      expect(
        record.dependencies.map(
          (d: { component: string; source: string; mirrorFolder?: string }) => [
            d.component,
            d.source,
            d.mirrorFolder ?? "-",
          ],
        ),
      ).toEqual([
        ["coffea-casa", "mirror", "charts/coffea-casa"],
        ["servicex", "mirror", "charts/ssl-helm-charts"],
        ["xcache", "repository", "-"],
        ["triton", "repository", "-"],
        ["mlflow", "mirror", "charts/community-charts"],
      ]);
      expect(record.dependencies[1]).toEqual({
        component: "servicex",
        chart: "servicex",
        version: "1.5.3",
        source: "mirror",
        repository: "https://ssl-hep.github.io/ssl-helm-charts/",
        mirrorFolder: "charts/ssl-helm-charts",
        sha256: "11a10c6e1573e63c0d08ec74e7cd96b4094629632dc4be03877dbecbab40c5b8",
      });
      expect(record.dependencies[4].substitute).toBe(out.substitutions[1].reason);
    });

    it("builds with helm v3 from the substitutes, the mirror named by SHOPPE_MIRROR", async () => {
      const r = await runCli(["chart", "deps", "--helm", "v3", "--update"], project.root, {
        ...env,
        SHOPPE_MIRROR: mirror,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`helm dependency update from the mirror ${mirror}:`);
      expect(r.stdout).toMatch(/coffea-casa\s+│?\s*coffea-casa\s+│?\s*2026\.1008\.3/);
      expect(r.stderr.match(/^warning: .* is a substitute/gm)).toHaveLength(2);
    });

    it("builds from the substitutes of the mirror .shoppe.yaml names, relative to the file; --verbose says so", async () => {
      await writeFile(
        path.join(project.root, ".shoppe.yaml"),
        `mirror: ${path.relative(project.root, mirror)}\n`,
      );
      try {
        const r = await runCli(["--verbose", "chart", "deps"], project.root, env);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain(
          `setting mirror = ${path.relative(project.root, mirror)} (file: .shoppe.yaml:1:9)`,
        );
        expect(r.stderr).toMatch(/serving 3 charts of the mirror/);
      } finally {
        await unlink(path.join(project.root, ".shoppe.yaml"));
      }
    });

    it("refuses to package a chart built from substitutes unless --allow-substitutes", async () => {
      const dist = await tempDir("dist");
      try {
        const refused = await runCli(["chart", "package", "-d", dist.path], project.root, env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("holds substitutes, not the published charts");
        expect(refused.stderr).toContain(`coffea-casa ${CASA.version} (${CASA.reason})`);
        expect(refused.stderr).toContain("--allow-substitutes");
        const allowed = await runCli(
          ["--json", "chart", "package", "-d", dist.path, "--allow-substitutes"],
          project.root,
          env,
        );
        expect(allowed.code).toBe(0);
        expect(
          JSON.parse(allowed.stdout).substitutions.map((s: { chart: string }) => s.chart),
        ).toEqual(["coffea-casa", "mlflow"]);
        expect(allowed.stderr).toContain("do not publish this archive");
      } finally {
        await dist.remove();
      }
    });

    it("renders the substitute-built umbrella with a warning naming each substitute", async () => {
      const r = await runCli(
        ["chart", "template", "-p", "ci", "--kube-version", "1.37.2"],
        project.root,
        env,
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `warning: coffea-casa: charts/coffea-shoppe/charts holds coffea-casa ${CASA.version}, a substitute: ${CASA.reason}`,
      );
      expect(r.stderr.match(/^warning: .*, a substitute: /gm)).toHaveLength(2);
    });

    /** Runs chart deps with `mirrorDir` (after rendering `stack`); it must fail and change nothing. */
    async function failsUnchanged(mirrorDir: string, stack: StackDoc = good) {
      await project.writeAndRender(stack);
      const before = await project.snapshot();
      const siblings = () => readdir(path.dirname(project.chartDir));
      const around = await siblings();
      const r = await runCli(["chart", "deps", "--mirror", mirrorDir], project.root, env);
      expect(await project.snapshot()).toEqual(before);
      expect(await siblings()).toEqual(around); // no staging copy left behind
      expect(r.code).toBe(2);
      return r;
    }

    it("names the missing artefact, the upstream URL and what to do; the chart is unchanged", async () => {
      const m = await copyMirror(mirror, async (dir) => {
        await unlink(path.join(dir, "charts/ssl-helm-charts/servicex-1.5.3.tgz"));
      });
      try {
        const r = await failsUnchanged(m.path);
        expect(r.stderr).toContain(
          `error: failed to resolve component "servicex" (chart servicex 1.5.3 from https://ssl-hep.github.io/ssl-helm-charts/) in the mirror ${m.path}: the archive is missing: expected ${m.path}/charts/ssl-helm-charts/servicex-1.5.3.tgz (upstream: https://ssl-hep.github.io/ssl-helm-charts/servicex-1.5.3.tgz); copy that archive into the mirror, or run \`shoppe mirror create\` where https://ssl-hep.github.io/ssl-helm-charts/ is reachable`,
        );
        expect(r.stderr).toMatch(
          /stack\.yaml:\d+:\d+: components\.servicex\.chart\.repository: pinned here/,
        );
      } finally {
        await m.remove();
      }
    });

    it("refuses archives that differ from the published digest when no substitute is declared", async () => {
      const m = await copyMirror(mirror, async (dir) => {
        const text = await readFile(path.join(dir, "mirror.yaml"), "utf8");
        await writeFile(path.join(dir, "mirror.yaml"), text.slice(0, text.indexOf("substitutes:")));
      });
      try {
        const r = await failsUnchanged(m.path);
        expect(r.stderr).toContain(`error: failed to resolve 2 charts in the mirror ${m.path}:`);
        expect(r.stderr).toContain(
          "charts/community-charts/mlflow-1.11.5.tgz is not the published chart: its sha256 is 10714f991f2d163ac7fb3743589a122441139ad2562f49e2307600b2f92210b6, charts/community-charts/index.yaml publishes 0237fb496b8ae21f34f170711622c605af1225d0448a13808ba67ad095f6be3d",
        );
        expect(r.stderr).toContain(
          "(https://github.com/community-charts/helm-charts/releases/download/mlflow-1.11.5/mlflow-1.11.5.tgz)",
        );
        expect(r.stderr).toContain(
          "or declare it under `substitutes:` in mirror.yaml with the reason",
        );
        expect(r.stderr).toContain('component "coffea-casa"');
      } finally {
        await m.remove();
      }
    });

    it("refuses an unknown key in mirror.yaml, then a path escaping the mirror, with line:col", async () => {
      const edit = (from: string, to: string) =>
        copyMirror(mirror, async (dir) => {
          const text = await readFile(path.join(dir, "mirror.yaml"), "utf8");
          await writeFile(path.join(dir, "mirror.yaml"), text.replace(from, to));
        });
      const unknown = await edit(
        "  - url: https://ssl-hep",
        "  - mirror: yes\n    url: https://ssl-hep",
      );
      const escaping = await edit(
        "archive: charts/coffea-casa/",
        "archive: ../../charts/coffea-casa/",
      );
      try {
        const u = await failsUnchanged(unknown.path);
        expect(u.stderr).toContain(
          `error: failed to load ${unknown.path}/mirror.yaml: not a valid mirror description`,
        );
        expect(u.stderr).toContain(
          `${unknown.path}/mirror.yaml:5:5: charts[1].mirror: unknown key "mirror"`,
        );
        const e = await failsUnchanged(escaping.path);
        // The line of the edited key in the derived mirror.yaml (its git list comes first).
        const lines = (await readFile(path.join(escaping.path, "mirror.yaml"), "utf8")).split("\n");
        const line = lines.findIndex((l) => l.includes("archive: ../../charts/coffea-casa/")) + 1;
        expect(line).toBeGreaterThan(0);
        expect(e.stderr).toContain(
          `mirror.yaml:${line}:14: substitutes[0].archive: must be a path inside the mirror`,
        );
      } finally {
        await unknown.remove();
        await escaping.remove();
      }
    });

    it("refuses an archive a symbolic link takes outside the mirror", async () => {
      const outside = await tempDir("outside");
      const m = await copyMirror(mirror, async (dir) => {
        const casa = path.join(dir, "charts/coffea-casa", `coffea-casa-${CASA.version}.tgz`);
        await writeFile(path.join(outside.path, "casa.tgz"), await readFile(casa));
        await unlink(casa);
        await symlink(path.join(outside.path, "casa.tgz"), casa);
      });
      try {
        const r = await failsUnchanged(m.path);
        expect(r.stderr).toContain(
          `charts/coffea-casa/coffea-casa-${CASA.version}.tgz leads outside the mirror`,
        );
      } finally {
        await m.remove();
        await outside.remove();
      }
    });

    it("fails on a substitute whose own dependency is not bundled, naming both", async () => {
      const m = await copyMirror(mirror, async (dir) => {
        const casa = path.join(dir, "charts/coffea-casa", `coffea-casa-${CASA.version}.tgz`);
        await unlink(casa);
        await tarChart(
          casa,
          {
            apiVersion: "v2",
            name: "coffea-casa",
            version: CASA.version,
            dependencies: [
              {
                name: "jupyterhub",
                version: "4.4.0",
                repository: "https://jupyterhub.github.io/helm-chart/",
              },
              {
                name: "servicex",
                version: "1.0.16",
                repository: "https://ssl-hep.github.io/ssl-helm-charts/",
                condition: "servicex.enabled",
              },
            ],
          },
          "servicex:\n  enabled: false\n",
        );
      });
      try {
        const r = await failsUnchanged(m.path);
        expect(r.stderr).toContain("a chart's own dependencies cannot be resolved");
        expect(r.stderr).toContain(
          `component "coffea-casa" (chart coffea-casa ${CASA.version} from the mirror folder charts/coffea-casa): coffea-casa ${CASA.version} declares jupyterhub 4.4.0, which its archive does not bundle`,
        );
        // servicex is off by its condition, so its absence is no problem.
        expect(r.stderr).not.toContain("declares servicex");
      } finally {
        await m.remove();
      }
    });

    it("refuses an OCI component in mirror mode: mirrors serve HTTP chart repositories only", async () => {
      const stack = structuredClone(good);
      stack.components.mlflow.chart.repository = "oci://127.0.0.1:5000/charts";
      const r = await failsUnchanged(mirror, stack);
      expect(r.stderr).toContain(
        'component "mlflow" (chart mlflow 1.11.5 from oci://127.0.0.1:5000/charts) is an OCI chart, and mirrors serve HTTP chart repositories only',
      );
      expect(r.stderr).toMatch(
        /stack\.yaml:\d+:\d+: components\.mlflow\.chart\.repository: an OCI chart/,
      );
      await project.writeAndRender(good);
    });

    it("refuses an unknown key in .shoppe.yaml with line:col before touching the chart", async () => {
      await project.writeAndRender(good);
      const before = await project.snapshot();
      await writeFile(
        path.join(project.root, ".shoppe.yaml"),
        "provider: kwok\nmirorr: /somewhere\n",
      );
      try {
        const r = await runCli(["chart", "deps"], project.root, env);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("error: failed to load .shoppe.yaml: not a valid config file");
        expect(r.stderr).toContain(
          '.shoppe.yaml:2:1: mirorr: unknown key "mirorr" (settings: mirror, provider, clusters-dir, registry-auth, github-repo, github-api, chart-oci)',
        );
        expect(await project.snapshot()).toEqual(before);
      } finally {
        await rm(path.join(project.root, ".shoppe.yaml"), { force: true });
      }
    });

    it("a mirror that is not a directory is named, with what a mirror is", async () => {
      const r = await runCli(["chart", "deps", "--mirror", "no/such/mirror"], project.root, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "failed to use the mirror no/such/mirror: no such directory; a mirror is a folder with a mirror.yaml",
      );
      // The library takes the same setting as an option.
      await mkdir(path.join(project.root, "empty-mirror"));
      const ctx = createContext({ root: project.root, env: { ...process.env, PATH: toolPath() } });
      await expect(chartDeps(ctx, { mirror: "empty-mirror" })).rejects.toThrow(
        /failed to read empty-mirror\/mirror\.yaml/,
      );
    });
  },
);
