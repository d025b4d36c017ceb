/** withStagedChart: helm's in-place writes land only on success, and the copy never stays. */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStagedChart } from "../../src/helm/staging.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { snapshotTree } from "../support/tree.js";

describe("withStagedChart", () => {
  let dir: TempDir;
  let chart: string;

  beforeEach(async () => {
    dir = await tempDir("staging");
    chart = path.join(dir.path, "charts", "u");
    await mkdir(path.join(chart, "charts"), { recursive: true });
    await writeFile(path.join(chart, "Chart.yaml"), "name: u\n");
    await writeFile(path.join(chart, "Chart.lock"), "old lock\n");
    await writeFile(path.join(chart, "charts", "a-1.0.0.tgz"), "old a\n");
  });

  afterEach(() => dir.remove());

  it("works on a sibling copy and swaps in only the named entries", async () => {
    const seen = await withStagedChart(chart, ["charts", "Chart.lock"], async (staged) => {
      expect(path.dirname(staged)).toBe(path.dirname(chart)); // file://../x still resolves
      await writeFile(path.join(staged, "Chart.lock"), "new lock\n");
      await writeFile(path.join(staged, "charts", "a-2.0.0.tgz"), "new a\n");
      await writeFile(path.join(staged, "Chart.yaml"), "changed by helm?\n");
      return staged;
    });
    expect(await readFile(path.join(chart, "Chart.lock"), "utf8")).toBe("new lock\n");
    expect((await readdir(path.join(chart, "charts"))).sort()).toEqual([
      "a-1.0.0.tgz",
      "a-2.0.0.tgz",
    ]);
    expect(await readFile(path.join(chart, "Chart.yaml"), "utf8")).toBe("name: u\n");
    expect(await readdir(path.dirname(chart))).toEqual(["u"]);
    expect(seen).not.toBe(chart);
  });

  it("leaves the chart byte for byte as it was when the work fails", async () => {
    const before = await snapshotTree(chart);
    await expect(
      withStagedChart(chart, ["charts", "Chart.lock"], async (staged) => {
        await writeFile(path.join(staged, "Chart.lock"), "half-written\n");
        throw new Error("helm failed");
      }),
    ).rejects.toThrow("helm failed");
    expect(await snapshotTree(chart)).toEqual(before);
    expect(await readdir(path.dirname(chart))).toEqual(["u"]);
  });

  it("stops before the swap when aborted, changing nothing and removing the copy", async () => {
    const before = await snapshotTree(chart);
    const abort = new AbortController();
    const staged = withStagedChart(
      chart,
      ["charts", "Chart.lock"],
      async (dir) => {
        await writeFile(path.join(dir, "Chart.lock"), "new lock\n");
        abort.abort(new Error("received SIGINT"));
      },
      abort.signal,
    );
    await expect(staged).rejects.toThrow("received SIGINT");
    expect(await snapshotTree(chart)).toEqual(before);
    expect(await readdir(path.dirname(chart))).toEqual(["u"]);
  });

  it("removes the copy of a killed run and puts back an entry it had moved aside", async () => {
    // A run (pid 2^22+1 is above Linux's pid limit: gone) killed in its swap, after moving the
    // old Chart.lock into its copy and before moving the new one in.
    const dead = path.join(path.dirname(chart), `.u.staging-${2 ** 22 + 1}-deadbeef`);
    await mkdir(dead);
    await rename(path.join(chart, "Chart.lock"), path.join(dead, ".previous-Chart.lock"));
    await writeFile(path.join(dead, "Chart.lock"), "new lock\n");
    const live = path.join(path.dirname(chart), `.u.staging-${process.ppid}-cafe0001`);
    await mkdir(live);
    await withStagedChart(chart, ["charts", "Chart.lock"], async () => undefined);
    expect(await readFile(path.join(chart, "Chart.lock"), "utf8")).toBe("old lock\n");
    // A copy whose process is alive (here the test runner's parent) is not touched.
    expect((await readdir(path.dirname(chart))).sort()).toEqual([path.basename(live), "u"]);
  });
});
