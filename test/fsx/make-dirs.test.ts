/**
 * Directories on paths a user names: made level by level, and a parent that exists but cannot
 * hold them (/proc, a dangling link) fails at once with one line. Node's own recursive mkdir
 * spins for ever there, so every case is bounded by a short timeout: a hang fails the test.
 */
import { readdir, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeRun } from "../../src/e2e/results/write.js";
import { makeDirs } from "../../src/fsx/make-dirs.js";
import { writeOwnedDir } from "../../src/fsx/owned-write.js";
import { runCli } from "../helpers/cli.js";
import { fixtureProject } from "../render/helpers.js";
import { type TempDir, tempDir } from "../support/temp.js";

const BOUND = { timeout: 10_000 };
let tmp: TempDir;
afterEach(async () => tmp?.remove());

describe("makeDirs", () => {
  it("makes every missing level, and accepts a directory already there", BOUND, async () => {
    tmp = await tempDir("make-dirs");
    const deep = path.join(tmp.path, "a", "b", "c");
    await makeDirs(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeDirs(deep);
    await makeDirs(tmp.path);
  });

  it("fails on a file where a directory should be, at it or above it", BOUND, async () => {
    tmp = await tempDir("make-dirs");
    const file = path.join(tmp.path, "file");
    await writeFile(file, "x");
    await expect(makeDirs(file)).rejects.toMatchObject({ code: "EEXIST" });
    await expect(makeDirs(path.join(file, "below"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });

  it("fails under /proc and under a dangling link instead of spinning", BOUND, async () => {
    tmp = await tempDir("make-dirs");
    await expect(makeDirs("/proc/shoppe-nothing/deeper")).rejects.toMatchObject({
      code: "ENOENT",
    });
    await symlink(path.join(tmp.path, "gone"), path.join(tmp.path, "dangling"));
    await expect(makeDirs(path.join(tmp.path, "dangling", "out"))).rejects.toThrow();
    expect(await readdir(tmp.path)).toEqual(["dangling"]);
  });
});

describe("writing a named directory under /proc", () => {
  it("render -o says it cannot, exit 1, and leaves the project as it was", BOUND, async () => {
    const root = await fixtureProject();
    const before = (await readdir(root)).sort();
    const r = await runCli(["render", "-o", "/proc/shoppe-chart"], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: failed to write chart /proc/shoppe-chart: ENOENT");
    expect(r.stderr).not.toContain("internal error");
    expect((await readdir(root)).sort()).toEqual(before);
  });

  it("badges, matrix (writeOwnedDir) and e2e results name the directory", BOUND, async () => {
    tmp = await tempDir("make-dirs");
    const owner = { marker: ".shoppe-test.json", generator: "shoppe test", preserved: [] };
    const use = { root: tmp.path, shown: "/proc/shoppe-out", verb: "write the badges into" };
    await expect(
      writeOwnedDir("/proc/shoppe-out", owner, { ...use, hint: "h" }, new Map(), "badge"),
    ).rejects.toThrow(/^failed to write the badges into \/proc\/shoppe-out: ENOENT/);
    await expect(
      writeOwnedDir(
        "/proc/shoppe-a/b",
        owner,
        { ...use, shown: "deeper", hint: "h" },
        new Map(),
        "badge",
      ),
    ).rejects.toThrow(/^failed to write the badges into deeper: ENOENT/);
    const results = await writeRun(
      { dir: "/proc/shoppe-results/x", shown: "/proc/shoppe-results/x", root: tmp.path },
      "run-1",
      { "results.json": "{}" },
    ).catch((err: Error) => err);
    expect(String(results)).toMatch(
      /failed to write results into \/proc\/shoppe-results\/x: ENOENT/,
    );
  });
});
