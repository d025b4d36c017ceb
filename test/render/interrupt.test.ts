/**
 * Ctrl-C, SIGTERM and SIGKILL during `render` and `chart deps`, sent to the real CLI process
 * while its scratch directory exists: a caught signal removes it and exits 128 + the signal's
 * number with the chart byte for byte as before; what a SIGKILL leaves, the next run removes.
 * The slow step is real work: copying a `charts/` of a few thousand archives into the scratch.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type SpawnedCli, spawnCli } from "../helpers/spawn-cli.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { snapshotTree } from "../support/tree.js";
import { fixtureProject } from "./helpers.js";

const PATH = `${path.join(ROOT, ".tools/bin")}${path.delimiter}${process.env.PATH}`;

/** A project with charts/demo rendered, its charts/ holding `archives` files (the slow copy). */
async function renderedProject(archives = 3000): Promise<{ root: string; dir: string }> {
  const root = await fixtureProject();
  const dir = path.join(root, "charts/demo");
  expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
  await mkdir(path.join(dir, "charts"));
  const body = "x".repeat(1024);
  await Promise.all(
    Array.from({ length: archives }, (_, i) =>
      writeFile(path.join(dir, "charts", `junk-${i}.txt`), body),
    ),
  );
  return { root, dir };
}

/** Scratch directories of charts/demo (`.demo.<kind>-<pid>-<hex>`). */
async function scratch(root: string): Promise<string[]> {
  return (await readdir(path.join(root, "charts"))).filter((n) => n.startsWith(".demo."));
}

/** Waits until the CLI has a scratch directory of `kind`, then sends `signal`. */
async function signalWhenScratch(
  cli: SpawnedCli,
  root: string,
  kind: string,
  signal: NodeJS.Signals,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = (await scratch(root)).find((n) => n.startsWith(`.demo.${kind}-`));
    if (found) {
      cli.child.kill(signal);
      return found;
    }
    if (cli.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no .demo.${kind}-* appeared; the CLI said:\n${cli.output()}`);
    }
    await sleep(2);
  }
}

describe("render interrupted", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`on ${signal} removes its staging directory, exits ${code} and keeps the previous chart`, async () => {
      const { root, dir } = await renderedProject();
      await writeFile(path.join(dir, "values.yaml"), "edited: true\n"); // so render writes
      const before = await snapshotTree(dir);
      const cli = spawnCli(["render", "-o", "charts/demo"], root);
      await signalWhenScratch(cli, root, "render", signal);
      expect(await cli.exited).toBe(code);
      expect(cli.output()).toContain(
        `failed to write chart ${dir}: interrupted (received ${signal}); the previous chart is unchanged`,
      );
      expect(await scratch(root)).toEqual([]);
      expect(await snapshotTree(dir)).toEqual(before);
    });
  }

  it("after a SIGKILL, the next render removes the leftover and writes the chart", async () => {
    const { root, dir } = await renderedProject();
    await writeFile(path.join(dir, "values.yaml"), "edited: true\n");
    const cli = spawnCli(["render", "-o", "charts/demo"], root);
    const left = await signalWhenScratch(cli, root, "render", "SIGKILL");
    expect(await cli.exited).toBe("SIGKILL");
    expect(await scratch(root)).toContain(left);
    const again = await runCli(["render", "-o", "charts/demo"], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("modified: values.yaml");
    expect(await scratch(root)).toEqual([]);
    expect((await runCli(["render", "-o", "charts/demo", "--check"], root)).code).toBe(0);
  });
});

describeWithTools("chart deps interrupted", ["helm"], () => {
  it("on SIGINT stops, removes its staged copy, exits 130 and leaves the chart as it was", async () => {
    const { root, dir } = await renderedProject();
    const before = await snapshotTree(dir);
    const cli = spawnCli(["chart", "deps", "--chart-dir", "charts/demo"], root, { PATH });
    await signalWhenScratch(cli, root, "staging", "SIGINT");
    expect(await cli.exited).toBe(130);
    expect(cli.output()).toContain(
      "failed to build the dependencies of charts/demo: interrupted (received SIGINT); Chart.lock and charts/ are unchanged",
    );
    expect(await scratch(root)).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("after a SIGKILL, the next run removes the leftover staged copy", async () => {
    const { root, dir } = await renderedProject();
    const cli = spawnCli(["chart", "deps", "--chart-dir", "charts/demo"], root, { PATH });
    const left = await signalWhenScratch(cli, root, "staging", "SIGKILL");
    expect(await cli.exited).toBe("SIGKILL");
    expect(await scratch(root)).toContain(left);
    // The archives were only there to slow the copy; helm would refuse them as charts.
    await rm(path.join(dir, "charts"), { recursive: true });
    const again = await runCli(["chart", "deps", "--chart-dir", "charts/demo"], root, { PATH });
    expect(again.stderr).not.toContain("error");
    expect(again.code).toBe(0);
    expect(await scratch(root)).toEqual([]);
  });
});
