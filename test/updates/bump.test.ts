/**
 * `shoppe bump` on the real stack.yaml (every comment in it) with older pins, against the real
 * published indexes and archives on loopback: the chart version, appVersion and image tags
 * come from the new release's own metadata (ServiceX's values, MLflow's artifacthub.io/images),
 * only the edited lines change, the umbrella is re-rendered, and what cannot be derived
 * (Coffea-Casa's images: its archives are not published here) is reported, not guessed.
 */
import { copyFile, lstat, mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { type IndexServer, serveIndexes } from "../support/index-server.js";
import { loopbackOnly } from "../support/loopback-only.js";
import type { RealProject } from "../support/real-project.js";
import { OLDER, projectFromText, realStackText } from "../support/update-project.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

/** Line numbers (1-based) where `a` and `b` differ; both keep their line count. */
function changedLines(a: string, b: string): number[] {
  const [x, y] = [a.split("\n"), b.split("\n")];
  expect(y.length).toBe(x.length);
  return x.flatMap((line, i) => (line === y[i] ? [] : [i + 1]));
}

loopbackOnly();

describeWithUpstream("shoppe bump on the real stack", [], () => {
  let server: IndexServer;
  let older: string;
  let project: RealProject;
  const stackText = () => readFile(path.join(project.root, "stack.yaml"), "utf8");
  beforeAll(async () => {
    server = await serveIndexes(UPSTREAM_SOURCE);
    older = await realStackText(server.urls, OLDER);
  });
  afterAll(() => server?.close());

  describe("one component at a time", () => {
    beforeAll(async () => {
      project = await projectFromText(older);
    });
    afterAll(() => project?.close());

    it("bumps ServiceX from its values: only the edited lines change, the chart is re-rendered", async () => {
      const r = await runCli(["bump", "servicex", "--retries", "0"], project.root);
      expect(r.stderr).not.toContain("error");
      expect(r.code).toBe(0);
      const after = await stackText();
      const changed = changedLines(older, after);
      const lines = after.split("\n");
      expect(changed.map((n) => lines[n - 1]?.trim())).toEqual([
        "version: 1.5.3",
        "appVersion: 1.5.3",
        ...Array(10).fill("tag: v1.5.3"),
      ]);
      expect(r.stdout).toContain("servicex: servicex 1.5.2 -> 1.5.3");
      expect(r.stdout).toContain("  appVersion 1.5.2 -> 1.5.3");
      expect(r.stdout).toContain("  image app sslhep/servicex_app: v1.5.2 -> v1.5.3");
      expect(r.stdout).toContain(
        "  not derived: image checks (ncsa/checks:1.0.0): the current release does not name ncsa/checks:1.0.0, the new one names tags latest",
      );
      expect(r.stdout).toContain(
        "-      version: 1.5.2\n-    appVersion: 1.5.2\n+      version: 1.5.3\n+    appVersion: 1.5.3",
      );
      expect(r.stdout).toContain("--- a/Chart.yaml\n+++ b/Chart.yaml");
      const chart = parse(await readFile(path.join(project.chartDir, "Chart.yaml"), "utf8"));
      expect(chart.dependencies.find((d: { name: string }) => d.name === "servicex").version).toBe(
        "1.5.3",
      );
      expect((await runCli(["render", "--check"], project.root)).code).toBe(0);
      expect((await runCli(["validate"], project.root)).code).toBe(0);
    });

    it("takes MLflow's tags from its artifacthub.io/images annotation, to --to and to the policy", async () => {
      const to = await runCli(["--json", "bump", "mlflow", "--to", "1.11.3"], project.root);
      expect(to.code).toBe(0);
      const plan = JSON.parse(to.stdout).bumps[0];
      expect(plan).toMatchObject({
        from: "1.11.2",
        to: "1.11.3",
        appVersion: { from: "3.14.0", to: "3.15.0" },
        imagesFrom: "annotation",
        images: [{ name: "server", from: "3.14.0", to: "3.15.0" }],
        unknown: [],
      });
      const next = await runCli(["--json", "bump", "mlflow"], project.root);
      expect(JSON.parse(next.stdout).bumps[0]).toMatchObject({ from: "1.11.3", to: "1.11.5" });
      const doc = parse(await stackText()).components.mlflow;
      expect([doc.chart.version, doc.appVersion, doc.images[0].tag]).toEqual([
        "1.11.5",
        "3.15.1",
        "3.15.1",
      ]);
      const again = await runCli(["bump", "mlflow"], project.root);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("mlflow: up to date (no newer release up to minor level)");
    });

    it("reports what Coffea-Casa's metadata cannot tell, and leaves those pins alone", async () => {
      const before = await stackText();
      const r = await runCli(["--json", "bump", "coffea-casa"], project.root);
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout).bumps[0];
      expect(plan).toMatchObject({
        to: "2026.1008.3",
        appVersion: { from: "2026.09.29.2", to: "2026.10.08.3" },
        imagesFrom: "none",
        images: [],
      });
      expect(plan.unknown).toEqual([
        expect.stringMatching(
          /^images: coffea-casa 2026\.1008\.3 has no artifacthub\.io\/images annotation and its archive could not be read \(failed to fetch http:\/\/127\.0\.0\.1:\d+\/coffea-casa\/coffea-casa-2026\.1008\.3\.tgz: HTTP 404 \(not found\)\); check every image tag by hand$/,
        ),
      ]);
      const changed = changedLines(before, await stackText());
      expect(changed).toHaveLength(2); // chart version and appVersion only
    });

    it("refuses what it cannot bump, with exit 2", async () => {
      const cases: [string[], string][] = [
        [["bump", "xcache"], 'component "xcache" uses the first-party chart charts/xcache'],
        [["bump", "nope"], 'no component "nope" in the stack'],
        [["bump", "servicex", "--to", "9.9.9"], "lists no servicex 9.9.9"],
        [["bump", "servicex", "--to", "1.5.2"], "is not newer than the pinned servicex 1.5.3"],
        [["bump", "--all", "servicex"], "--all bumps every component under its policy"],
        [["bump"], "name one component to bump, or use --all"],
        [
          ["bump", "servicex", "--level", "huge"],
          '--level expects patch, minor or major, got "huge"',
        ],
        [["bump", "servicex", "--publish"], "--publish opens pull requests: give --pr too"],
      ];
      for (const [argv, message] of cases) {
        const r = await runCli(argv, project.root);
        expect(r.code, argv.join(" ")).toBe(2);
        expect(r.stderr).toContain(message);
        expect(r.stderr).not.toContain("internal error");
      }
    });
  });

  it("bumps everything the policies allow with --all, in one edit and one render", async () => {
    const all = await projectFromText(older);
    try {
      const r = await runCli(["--json", "bump", "--all"], all.root);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(
        out.bumps.map((b: { component: string; to: string }) => `${b.component} ${b.to}`),
      ).toEqual(["coffea-casa 2026.1008.3", "servicex 1.5.3", "mlflow 1.11.5"]);
      expect(out.written).toBe(true);
      expect(out.stackDiff).toContain("+      version: 1.11.5");
      expect((await runCli(["render", "--check"], all.root)).code).toBe(0);
    } finally {
      await all.close();
    }
  });

  it("takes the releases and archives from a mirror standing for the repository", async () => {
    const p = await projectFromText(older);
    const mirror = path.join(p.root, "site-mirror");
    await mkdir(path.join(mirror, "ssl"), { recursive: true });
    for (const f of ["index.yaml", "servicex-1.5.2.tgz", "servicex-1.5.3.tgz"]) {
      await copyFile(
        path.join(UPSTREAM_SOURCE, "charts", "ssl-helm-charts", f),
        path.join(mirror, "ssl", f),
      );
    }
    const url = server.urls.get("https://ssl-hep.github.io/ssl-helm-charts/");
    await writeFile(path.join(mirror, "mirror.yaml"), `charts:\n  - url: ${url}\n    path: ssl\n`);
    server.fault("ssl-helm-charts", { kind: "status", status: 500 }); // upstream is not asked
    try {
      const r = await runCli(
        ["--json", "bump", "servicex", "--mirror", "site-mirror", "--retries", "0"],
        p.root,
      );
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout).bumps[0];
      expect(plan).toMatchObject({ to: "1.5.3", imagesFrom: "values" });
      expect(plan.images.find((i: { name: string }) => i.name === "app")).toMatchObject({
        to: "v1.5.3",
      });
    } finally {
      server.fault("ssl-helm-charts", undefined);
      await p.close();
    }
  });

  it("refuses a symlinked stack.yaml instead of replacing the link by a copy, and leaves its target", async () => {
    const p = await projectFromText(older);
    try {
      const real = path.join(p.root, "real-stack.yaml");
      await rename(path.join(p.root, "stack.yaml"), real);
      await symlink("real-stack.yaml", path.join(p.root, "stack.yaml"));
      const r = await runCli(["bump", "servicex", "--retries", "0"], p.root);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "failed to write stack.yaml: it is a symbolic link to real-stack.yaml, which a rewrite would replace by a copy; name the file it points to instead",
      );
      expect((await lstat(path.join(p.root, "stack.yaml"))).isSymbolicLink()).toBe(true);
      expect(await readFile(real, "utf8")).toBe(older);
      const direct = await runCli(["bump", "servicex", "-f", "real-stack.yaml"], p.root);
      expect(direct.code).toBe(0);
      expect(await readFile(real, "utf8")).toContain("      version: 1.5.3");
    } finally {
      await p.close();
    }
  });

  it("--level patch stays within the pinned minor", async () => {
    const p = await projectFromText(
      older.replace("      version: 1.11.2", "      version: 1.10.0"),
    );
    try {
      const r = await runCli(["--json", "bump", "mlflow", "--level", "patch"], p.root);
      expect(JSON.parse(r.stdout).skipped).toEqual([
        { component: "mlflow", reason: "no newer release up to patch level" },
      ]);
      const minor = await runCli(["--json", "bump", "mlflow", "--level", "minor"], p.root);
      expect(JSON.parse(minor.stdout).bumps[0].to).toBe("1.11.5");
    } finally {
      await p.close();
    }
  });
});
