/**
 * Render writes only what it owns: every refusal through the real CLI (exit 2, the message,
 * and not one byte of the project changed, `.git` of a real repository included), the marker,
 * and the deletions render may make (its own stale files) against those it must not.
 */
import { execFileSync } from "node:child_process";
import { appendFile, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RENDER_OWNER } from "../../src/chart/writer.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { snapshotTree } from "../support/tree.js";
import { fixtureProject, tempDir } from "./helpers.js";

const MARKER = RENDER_OWNER.marker;

/** The render fixture as a git repository with one commit, so `.git` is real. */
async function gitProject(): Promise<string> {
  const root = await fixtureProject();
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], {
      cwd: root,
      stdio: "ignore",
    });
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "fixture");
  return root;
}

async function marker(dir: string): Promise<{ generator: string; files: string[] }> {
  return JSON.parse(await readFile(path.join(dir, MARKER), "utf8"));
}

describe("render refuses a directory it does not own", () => {
  const cases: {
    name: string;
    output: string;
    setup?: (root: string) => Promise<void>;
    check?: boolean;
    message: RegExp;
  }[] = [
    { name: "the project root", output: ".", message: /render into \.: it is the project root/ },
    {
      name: "the project root, under --check too",
      output: ".",
      check: true,
      message: /failed to check \.: it is the project root/,
    },
    { name: "an empty path", output: "", message: /--output is empty/ },
    {
      name: "an ancestor of the project root",
      output: "..",
      message: /render into \.\.: it contains the project root/,
    },
    {
      name: "a first-party chart",
      output: "charts/hub",
      message:
        /render into charts\/hub: it is a chart shoppe render did not write \(it has no \.shoppe-render\.json\)/,
    },
    {
      name: "a regular file",
      output: "stack.yaml",
      message: /render into stack\.yaml: it is a regular file, not a directory/,
    },
    {
      name: "a path below a regular file",
      output: "stack.yaml/chart",
      message: /stack\.yaml is a regular file, not a directory/,
    },
    {
      name: "a symbolic link to an empty directory",
      output: "out",
      setup: async (root) => {
        await mkdir(path.join(root, "real"));
        await symlink("real", path.join(root, "out"));
      },
      message: /render into out: it is a symbolic link/,
    },
    {
      name: "a path below a dangling symbolic link (once a failed mkdir, exit 1)",
      output: "gone/chart",
      setup: async (root) => {
        await symlink("nowhere", path.join(root, "gone"));
      },
      message:
        /render into gone\/chart: \S+\/gone is a symbolic link to nowhere, which does not exist/,
    },
    {
      name: "a FIFO",
      output: "pipe",
      setup: async (root) => {
        execFileSync("mkfifo", [path.join(root, "pipe")]);
      },
      message: /render into pipe: it is a FIFO, not a directory/,
    },
    {
      name: "a non-empty directory without the marker",
      output: "notes",
      setup: async (root) => {
        await mkdir(path.join(root, "notes"));
        await writeFile(path.join(root, "notes/todo.txt"), "mine\n");
      },
      message: /render into notes: it is not empty and has no \.shoppe-render\.json/,
    },
    {
      name: ".git",
      output: ".git",
      message: /render into \.git: it is not empty and has no \.shoppe-render\.json/,
    },
    {
      name: "another project, even one carrying the marker",
      output: "vendor",
      setup: async (root) => {
        await mkdir(path.join(root, "vendor"));
        await writeFile(path.join(root, "vendor/package.json"), "{}\n");
        await writeFile(
          path.join(root, `vendor/${MARKER}`),
          '{"generator":"shoppe render","files":[]}',
        );
      },
      message: /render into vendor: it looks like a project \(it contains package\.json\)/,
    },
    {
      name: "a marker render did not write",
      output: "forged",
      setup: async (root) => {
        await mkdir(path.join(root, "forged"));
        await writeFile(
          path.join(root, `forged/${MARKER}`),
          '{"generator":"shoppe render","files":["../../stack.yaml"]}',
        );
      },
      message:
        /render into forged: \.shoppe-render\.json is not a marker shoppe render wrote \("\.\.\/\.\.\/stack\.yaml" in files\)/,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with exit 2, changing nothing`, async () => {
      const root = await gitProject();
      await c.setup?.(root);
      const before = await snapshotTree(root);
      const res = await runCli(["render", "-o", c.output, ...(c.check ? ["--check"] : [])], root);
      expect(res.stderr).toMatch(c.message);
      expect(res.stderr).not.toContain("internal error");
      expect(res.code).toBe(2);
      expect(await snapshotTree(root)).toEqual(before);
    });
  }
});

describe("render writes what it owns", () => {
  it("renders into a fresh directory outside the project, then into the same one again", async () => {
    const root = await gitProject();
    const out = path.join(await tempDir(), "facility", "chart");
    const project = await snapshotTree(root);
    const first = await runCli(["--json", "render", "-o", out], root);
    expect(first.code).toBe(0);
    const files = JSON.parse(first.stdout).files as string[];
    expect(await marker(out)).toEqual({ generator: "shoppe render", files: [...files].sort() });
    const again = await runCli(["render", "-o", out], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is up to date with stack\.yaml/);
    expect(await snapshotTree(root)).toEqual(project);
  });

  it("renders the same bytes however the project or the output is spelled (through a link)", async () => {
    const root = await gitProject();
    const alias = path.join(await tempDir(), "alias");
    await symlink(root, alias);
    expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
    const spellings = [
      ["-C", alias, "render", "--check", "-o", "charts/demo"],
      ["-C", alias, "render", "--check", "-o", path.join(root, "charts/demo")],
      ["render", "--check", "-o", path.join(alias, "charts/demo")],
    ];
    for (const argv of spellings) expect((await runCli(argv, root)).code, argv.join(" ")).toBe(0);
  });

  it("renders into an empty directory", async () => {
    const root = await gitProject();
    await mkdir(path.join(root, "charts/empty"));
    expect((await runCli(["render", "-o", "charts/empty"], root)).code).toBe(0);
    expect((await marker(path.join(root, "charts/empty"))).generator).toBe("shoppe render");
  });

  it("writes the same marker bytes on every render, with no absolute path", async () => {
    const root = await gitProject();
    expect((await runCli(["render", "-o", "charts/a"], root)).code).toBe(0);
    expect((await runCli(["render", "-o", "charts/b"], root)).code).toBe(0);
    const a = await readFile(path.join(root, `charts/a/${MARKER}`), "utf8");
    expect(await readFile(path.join(root, `charts/b/${MARKER}`), "utf8")).toBe(a);
    expect(a).not.toContain(root);
    expect(a).toMatch(/^\{\n {2}"generator": "shoppe render",\n {2}"files": \[\n/);
  });

  it("refuses a rendered chart holding a file it did not write, naming it", async () => {
    const root = await gitProject();
    const dir = path.join(root, "charts/demo");
    expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
    await writeFile(path.join(dir, "templates/mine.yaml"), "kind: Mine\n");
    await mkdir(path.join(dir, "notes"));
    await writeFile(path.join(dir, "values.yaml"), "edited: true\n");
    const before = await snapshotTree(root);
    const res = await runCli(["render", "-o", "charts/demo"], root);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "failed to render into charts/demo: notes/, templates/mine.yaml are not listed in .shoppe-render.json, so shoppe render did not write them and will not delete them",
    );
    expect(await snapshotTree(root)).toEqual(before);
    // --check only reads: it reports the stranger as a difference instead.
    const check = await runCli(["render", "-o", "charts/demo", "--check"], root);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("  removed: templates/mine.yaml\n");
  });

  it("removes a file it rendered before and no longer renders, keeping chart deps' output", async () => {
    const root = await gitProject();
    const dir = path.join(root, "charts/demo");
    const stack = path.join(root, "stack.yaml");
    const original = await readFile(stack, "utf8");
    await appendFile(stack, "  extra:\n    description: A profile that goes away\n");
    const first = await runCli(["--json", "render", "-o", "charts/demo"], root);
    expect(JSON.parse(first.stdout).files).toContain("ci/extra-values.yaml");
    await writeFile(path.join(dir, "Chart.lock"), "dependencies: []\n");
    await mkdir(path.join(dir, "charts"));
    await writeFile(path.join(dir, "charts/hub-0.1.0.tgz"), "archive\n");
    await writeFile(path.join(dir, ".shoppe-deps.json"), "{}\n");

    await writeFile(stack, original);
    const second = await runCli(["--json", "render", "-o", "charts/demo"], root);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).differences).toContainEqual({
      path: "ci/extra-values.yaml",
      change: "removed",
    });
    const after = await snapshotTree(dir);
    expect(after["ci/extra-values.yaml"]).toBeUndefined();
    expect(Object.keys(after)).toEqual(
      expect.arrayContaining(["Chart.lock", "charts/hub-0.1.0.tgz", ".shoppe-deps.json"]),
    );
    expect((await marker(dir)).files).not.toContain("ci/extra-values.yaml");
  });
});

describe("render --check and the marker", () => {
  it("never compares the marker", async () => {
    const root = await gitProject();
    const dir = path.join(root, "charts/demo");
    expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
    const m = await marker(dir);
    await writeFile(
      path.join(dir, MARKER),
      JSON.stringify({ ...m, files: [...m.files, "templates/gone.yaml"] }),
    );
    const check = await runCli(["--json", "render", "-o", "charts/demo", "--check"], root);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ changed: false, differences: [] });
    // A render rewrites a marker that lists more than the chart holds.
    expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
    expect(await marker(dir)).toEqual(m);
  });

  it("the committed umbrella carries the marker listing exactly its rendered files", async () => {
    const check = await runCli(["--json", "render", "--check"], ROOT);
    const files = JSON.parse(check.stdout).files as string[];
    expect(await marker(path.join(ROOT, "charts/coffea-shoppe"))).toEqual({
      generator: "shoppe render",
      files: [...files].sort(),
    });
    const helmignore = await readFile(path.join(ROOT, "charts/coffea-shoppe/.helmignore"), "utf8");
    expect(helmignore.split("\n")).toContain(".shoppe-*");
  });
});

describe("chart deps writes only into a chart render wrote", () => {
  it("refuses a chart directory without the marker, changing nothing", async () => {
    const root = await gitProject();
    expect((await runCli(["render"], root)).code).toBe(0);
    await rm(path.join(root, `charts/demo-shoppe/${MARKER}`));
    const before = await snapshotTree(root);
    const res = await runCli(["chart", "deps"], root);
    expect(res.stderr).toContain(
      "failed to build the dependencies of charts/demo-shoppe: it is a chart shoppe render did not write (it has no .shoppe-render.json), such as a first-party chart; dependencies are built only in a chart shoppe render wrote (it holds .shoppe-render.json); run shoppe render first",
    );
    expect(res.code).toBe(2);
    expect(await snapshotTree(root)).toEqual(before);
  });
});

describeWithTools("the packaged chart", ["helm"], () => {
  it("leaves out the marker and the dependency record (.helmignore lists .shoppe-*)", async () => {
    const root = await gitProject();
    const env = { PATH: `${path.join(ROOT, ".tools/bin")}${path.delimiter}${process.env.PATH}` };
    expect((await runCli(["render"], root)).code).toBe(0);
    expect((await runCli(["chart", "deps"], root, env)).code).toBe(0);
    const packaged = await runCli(["--json", "chart", "package", "-d", "out"], root, env);
    expect(packaged.code).toBe(0);
    const archive = path.join(root, JSON.parse(packaged.stdout).file);
    const entries = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).split("\n");
    expect(entries).toContain("demo-shoppe/Chart.yaml");
    expect(entries.filter((e) => e.includes(".shoppe-"))).toEqual([]);
  });
});
