/** Writing the chart atomically, carrying over dependency output, and --check through the action. */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { render } from "../../src/actions/render.js";
import { type ChartFs, nodeChartFs, RENDER_OWNER, readChartDir } from "../../src/chart/writer.js";
import { InterruptedError, ShoppeError } from "../../src/errors.js";
import { context, fixtureProject } from "./helpers.js";

/** The real file system, except that the `failAt`-th call of `method` throws. */
function failingFs(method: keyof ChartFs, failAt: number): ChartFs {
  let calls = 0;
  return new Proxy(nodeChartFs, {
    get(target, prop, receiver) {
      const real = Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>;
      if (prop !== method) return real;
      return async (...args: unknown[]) => {
        calls++;
        if (calls === failAt)
          throw Object.assign(new Error("disk full (injected)"), { code: "ENOSPC" });
        return real.apply(target, args);
      };
    },
  }) as ChartFs;
}

async function siblings(root: string): Promise<string[]> {
  return (await readdir(path.join(root, "charts"))).sort();
}

describe("render writes atomically", () => {
  it("writes the chart on first render and reports every file as added", async () => {
    const root = await fixtureProject();
    const r = await render(context(root), { output: "charts/demo" });
    expect(r.written).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.chartDir).toBe(path.join(root, "charts/demo"));
    expect(r.differences.every((d) => d.change === "added")).toBe(true);
    expect(r.differences.map((d) => d.path)).toEqual(r.files);
    const onDisk = await readChartDir(r.chartDir);
    expect(Object.keys(onDisk ?? {}).sort()).toEqual([...r.files, RENDER_OWNER.marker].sort());
    const again = await render(context(root), { output: "charts/demo" });
    expect(again).toMatchObject({ changed: false, written: false, diff: "", differences: [] });
  });

  it("keeps the previous chart and leaves no temporary directory when a write fails", async () => {
    const root = await fixtureProject();
    await render(context(root), { output: "charts/demo" });
    const before = await readChartDir(path.join(root, "charts/demo"));
    await writeFile(path.join(root, "charts/demo/values.yaml"), "edited: true\n");
    const edited = await readChartDir(path.join(root, "charts/demo"));
    const listing = await siblings(root);

    const failure = render(
      context(root),
      { output: "charts/demo" },
      { fs: failingFs("writeFile", 3) },
    );
    await expect(failure).rejects.toBeInstanceOf(ShoppeError);
    await expect(failure).rejects.toThrow(
      /failed to write chart .*disk full \(injected\).*previous chart is unchanged/,
    );
    expect(await readChartDir(path.join(root, "charts/demo"))).toEqual(edited);
    expect(await siblings(root)).toEqual(listing);
    expect(before).not.toEqual(edited);
  });

  it("stops when aborted before the swap: the previous chart stays and the error says why", async () => {
    const root = await fixtureProject();
    await render(context(root), { output: "charts/demo" });
    await writeFile(path.join(root, "charts/demo/values.yaml"), "edited: true\n");
    const edited = await readChartDir(path.join(root, "charts/demo"));
    const listing = await siblings(root);
    const abort = new AbortController();
    abort.abort(new InterruptedError("SIGTERM", "received SIGTERM"));
    const failure = render(context(root), { output: "charts/demo", signal: abort.signal });
    await expect(failure).rejects.toMatchObject({ exitCode: 143, signal: "SIGTERM" });
    await expect(failure).rejects.toThrow(
      /failed to write chart .*: interrupted \(received SIGTERM\); the previous chart is unchanged/,
    );
    expect(await readChartDir(path.join(root, "charts/demo"))).toEqual(edited);
    expect(await siblings(root)).toEqual(listing);
  });

  it("restores the previous chart when the final rename fails", async () => {
    const root = await fixtureProject();
    await render(context(root), { output: "charts/demo" });
    await writeFile(path.join(root, "charts/demo/README.md"), "old\n");
    const edited = await readChartDir(path.join(root, "charts/demo"));
    const listing = await siblings(root);
    // rename #1 moves the old chart aside, rename #2 moves the new one in: fail #2.
    const failure = render(
      context(root),
      { output: "charts/demo" },
      { fs: failingFs("rename", 2) },
    );
    await expect(failure).rejects.toThrow(/failed to write chart/);
    expect(await readChartDir(path.join(root, "charts/demo"))).toEqual(edited);
    expect(await siblings(root)).toEqual(listing);
  });

  it("carries Chart.lock and charts/ over and never compares them", async () => {
    const root = await fixtureProject();
    const dir = path.join(root, "charts/demo");
    await render(context(root), { output: "charts/demo" });
    await writeFile(path.join(dir, "Chart.lock"), "dependencies: []\n");
    await mkdir(path.join(dir, "charts"), { recursive: true });
    await writeFile(path.join(dir, "charts/hub-0.1.0.tgz"), "not really a tarball");
    await writeFile(path.join(dir, "values.yaml"), "stale: true\n");
    const r = await render(context(root), { output: "charts/demo" });
    expect(r.differences).toEqual([{ path: "values.yaml", change: "modified" }]);
    expect(await readFile(path.join(dir, "Chart.lock"), "utf8")).toBe("dependencies: []\n");
    expect(await readFile(path.join(dir, "charts/hub-0.1.0.tgz"), "utf8")).toBe(
      "not really a tarball",
    );
    expect((await render(context(root), { output: "charts/demo", check: true })).changed).toBe(
      false,
    );
  });
});

describe("render --check", () => {
  it("reports equal charts, then names an edited, an extra and a missing file in a unified diff", async () => {
    const root = await fixtureProject();
    const dir = path.join(root, "charts/demo");
    await render(context(root), { output: "charts/demo" });
    const equal = await render(context(root), { output: "charts/demo", check: true });
    expect(equal).toMatchObject({ check: true, changed: false, written: false, diff: "" });

    const notes = path.join(dir, "templates/NOTES.txt");
    await writeFile(
      notes,
      (await readFile(notes, "utf8")).replace("is installed", "was installed"),
    );
    await writeFile(path.join(dir, "templates/extra.yaml"), "kind: Extra\n");
    await writeFile(path.join(dir, ".helmignore"), "");
    const { rm } = await import("node:fs/promises");
    await rm(path.join(dir, ".helmignore"));
    const stale = await render(context(root), { output: "charts/demo", check: true });
    expect(stale.changed).toBe(true);
    expect(stale.written).toBe(false);
    expect(stale.differences).toEqual([
      { path: ".helmignore", change: "added" },
      { path: "templates/NOTES.txt", change: "modified" },
      { path: "templates/extra.yaml", change: "removed" },
    ]);
    expect(stale.diff).toContain("--- a/templates/NOTES.txt\n+++ b/templates/NOTES.txt\n");
    expect(stale.diff).toMatch(/^-demo-shoppe \{\{ \.Chart\.Version \}\} was installed/m);
    expect(stale.diff).toMatch(/^\+demo-shoppe \{\{ \.Chart\.Version \}\} is installed/m);
    expect(stale.diff).toContain("--- a/templates/extra.yaml\n+++ /dev/null\n");
    // The check wrote nothing.
    expect(await readFile(path.join(dir, "templates/extra.yaml"), "utf8")).toBe("kind: Extra\n");
  });
});

describe("render after a run killed mid-write", () => {
  it("moves back a chart left only as .previous-* and removes dead runs' staging directories", async () => {
    const root = await fixtureProject();
    const r = await render(context(root), { output: "charts/demo" });
    const before = await readChartDir(r.chartDir);
    const listing = await siblings(root);
    // A run (pid 2^22+1 is above Linux's pid limit, so no such process) killed between its
    // renames: the chart is only in .previous-*, and its staging copy is still there.
    const dead = `${2 ** 22 + 1}-deadbeef`;
    await rename(r.chartDir, path.join(root, `charts/.demo.previous-${dead}`));
    await mkdir(path.join(root, `charts/.demo.render-${dead}`), { recursive: true });
    await writeFile(path.join(root, `charts/.demo.render-${dead}/Chart.yaml`), "half: written\n");

    const again = await render(context(root), { output: "charts/demo" });
    expect(again.changed).toBe(false);
    expect(await readChartDir(r.chartDir)).toEqual(before);
    expect(await siblings(root)).toEqual(listing);
  });
});
