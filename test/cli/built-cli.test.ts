/**
 * The CLI users run is the esbuild bundle `npm run build` writes (scripts/build-cli.ts), not
 * the sources the other tests import: this builds it afresh into a directory of its own inside
 * the project (so the package's files are found above it, as from dist/cli/) and runs the
 * commands whose work reads the package's own files (chart templates, release-note templates,
 * schemas) or loads a lazy chunk, comparing each with the same command from the sources.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLED, buildCli, clean } from "../../scripts/build-cli.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";

const exec = promisify(execFile);

describe("the built CLI (esbuild bundle)", () => {
  let dir: string;
  let entry: string;
  let outputs: string[];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(ROOT, ".shoppe", "built-cli-"));
    outputs = Object.keys((await buildCli(ROOT, path.join(dir, "cli"))).outputs);
    entry = path.join(dir, "shoppe.js");
    // As bin/shoppe.js, pointed at this build.
    await writeFile(
      entry,
      'import { run } from "./cli/main.js";\nprocess.exitCode = await run(process.argv.slice(2));\n',
    );
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const shoppe = async (args: string[]) => {
    try {
      const r = await exec("node", [entry, ...args], { cwd: ROOT, encoding: "utf8" });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("splits the lazily loaded commands into chunks and keeps the heavy libraries external", async () => {
    const js = outputs.filter((o) => o.endsWith(".js"));
    expect(js.some((o) => o.endsWith("cli/main.js"))).toBe(true);
    expect(js.filter((o) => o.includes("/chunks/")).length).toBeGreaterThan(5);
    const main = await readFile(path.join(dir, "cli", "main.js"), "utf8");
    // The Kubernetes client and octokit are loaded from node_modules by the commands using them.
    const all = await Promise.all(js.map((o) => readFile(path.resolve(ROOT, o), "utf8")));
    expect(all.some((t) => t.includes('from "@kubernetes/client-node"'))).toBe(true);
    expect(all.some((t) => t.includes("node_modules/@kubernetes/client-node"))).toBe(false);
    expect(main).not.toContain("node_modules/octokit");
    expect(BUNDLED).toContain("yaml");
  });

  it("prints the package's version", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8"));
    const r = await shoppe(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("validates and checks the rendered chart as the sources do (chart templates found)", async () => {
    for (const args of [["validate"], ["-q", "render", "--check"]]) {
      const built = await shoppe(args);
      const sources = await runCli(args, ROOT);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stdout).toBe(sources.stdout);
    }
  });

  it("renders the release notes from the package's templates", async () => {
    const built = await shoppe(["-q", "release", "notes", "--offline"]);
    const sources = await runCli(["-q", "release", "notes", "--offline"], ROOT);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/^# coffea-shoppe \d+\.\d+\.\d+/);
    expect(built.stdout).toBe(sources.stdout);
  });

  it("reports a bad manifest with its file, path and line, exit 2, as the sources do", async () => {
    const bad = path.join(dir, "bad.yaml");
    await writeFile(bad, "apiVersion: shoppe.coffea-casa.io/v1alpha1\nkind: Stack\nrelease: 3\n");
    const built = await shoppe(["validate", bad]);
    const sources = await runCli(["validate", bad], ROOT);
    expect(built.code).toBe(sources.code);
    expect(built.code).toBe(2);
    expect(built.stderr).toContain(`${bad}:3:`);
    expect(built.stderr).toBe(sources.stderr);
  });

  it("cleans only what builds wrote to dist/: packaged charts and foreign files stay", async () => {
    const root = path.join(dir, "clean");
    await mkdir(path.join(root, "src", "chart"), { recursive: true });
    await writeFile(path.join(root, "src", "errors.ts"), "");
    for (const d of ["cli/chunks", "chart", "charts"]) {
      await mkdir(path.join(root, "dist", d), { recursive: true });
    }
    for (const f of [
      "errors.js",
      "errors.js.map",
      "errors.d.ts",
      "charts/x-0.1.0.tgz",
      "notes.txt",
    ]) {
      await writeFile(path.join(root, "dist", f), "");
    }
    await clean(root);
    expect((await readdir(path.join(root, "dist"))).sort()).toEqual(["charts", "notes.txt"]);
    expect(await readdir(path.join(root, "dist", "charts"))).toEqual(["x-0.1.0.tgz"]);
  });
});
