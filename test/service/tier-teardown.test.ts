/**
 * The service tier's teardown with launchers that fail part-way (no server software needed:
 * the processes are `sleep`s): whatever a launcher was still doing when the tier stopped, no
 * process it starts outlives the tier, a backing service still starting is stopped once it is
 * up, and a process whose group leader exited leaves none of its group behind.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import type { LaunchContext, Launcher } from "../../src/e2e/service/launcher.js";
import { LocalProcess, waitForPort } from "../../src/e2e/service/process.js";
import { ServiceTier } from "../../src/e2e/service/tier.js";
import { type TempDir, tempDir } from "../support/temp.js";

/** Whether `pid` runs (a zombie waiting for its reaper does not). */
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const sleeper = (c: LaunchContext, name: string) =>
  c.start({ name, file: "/bin/sleep", args: ["60"], env: {}, cwd: c.dir });

function tierOf(
  launchers: Launcher[],
  shared: Launcher[] = [],
  signal = new AbortController().signal,
): ServiceTier {
  return new ServiceTier({
    objects: [],
    namespace: "ns",
    release: "r",
    profile: "ci",
    pins: {},
    root: process.cwd(),
    runner: createContext({ root: process.cwd() }).runner,
    envPath: "",
    renderChart: async () => [],
    launchers,
    shared,
    wiring: {},
    timeoutMs: 10_000,
    signal,
  });
}

describe("service tier teardown", () => {
  let tmp: TempDir | undefined;
  afterEach(() => tmp?.remove());

  it("a step still under way when a sibling failed starts nothing after the tier stopped", async () => {
    const started: LocalProcess[] = [];
    let late: Promise<unknown> | undefined;
    const launcher: Launcher = {
      component: "c",
      async start(c) {
        late = (async () => {
          await sleep(300);
          started.push(sleeper(c, "late"));
        })();
        late.catch(() => undefined);
        await Promise.all([late, Promise.reject(new Error("boom"))]);
        return { software: [] };
      },
    };
    const tier = tierOf([launcher]);
    const [r] = await tier.launch(["c"]);
    expect(r).toMatchObject({ status: "failed", reason: "failed to start: boom" });
    await tier.stop();
    await expect(late).rejects.toThrow("the service tier has stopped");
    expect(started.filter((p) => alive(p.child.pid))).toEqual([]);
  });

  it("a backing service still starting when the tier stops is stopped once it is up", async () => {
    let stopped = false;
    const kube: Launcher = {
      component: "kubernetes",
      async start() {
        await sleep(300);
        return {
          software: [],
          stop: async () => {
            stopped = true;
          },
        };
      },
    };
    const launcher: Launcher = {
      component: "c",
      async start(c) {
        const after = c.after("kubernetes");
        after.catch(() => undefined);
        throw new Error("boom");
      },
    };
    const tier = tierOf([launcher], [kube]);
    await tier.launch(["c"]);
    await tier.stop();
    expect(stopped).toBe(true);
  });

  it("on an interrupt: the launch is not-run, its process stopped, only its own scratch directory removed", async () => {
    const ac = new AbortController();
    let proc: LocalProcess | undefined;
    const launcher: Launcher = {
      component: "c",
      async start(c) {
        proc = sleeper(c, "server");
        await waitForPort(proc, 9, c.timeoutMs, c.signal);
        return { software: [] };
      },
    };
    const tier = tierOf([launcher], [], ac.signal);
    setTimeout(() => ac.abort(), 300);
    const [r] = await tier.launch(["c"]);
    expect(r).toMatchObject({ status: "not-run", reason: "interrupted" });
    const dir = tier.dir as string;
    expect(existsSync(dir)).toBe(true);
    await tier.stop();
    expect(alive(proc?.child.pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(path.dirname(dir))).toBe(true);
  });

  it("stops the rest of a process group whose leader already exited", async () => {
    tmp = await tempDir("tier-group");
    const pidFile = path.join(tmp.path, "pid");
    const p = new LocalProcess({
      name: "shell",
      file: "/bin/sh",
      args: ["-c", `sleep 60 & echo $! > ${pidFile}; exit 0`],
      env: { PATH: "/usr/bin:/bin" },
      cwd: tmp.path,
      logFile: path.join(tmp.path, "shell.log"),
    });
    expect(await p.finished(5_000, new AbortController().signal)).toBe(0);
    const child = Number((await readFile(pidFile, "utf8")).trim());
    expect(alive(child)).toBe(true);
    await p.stop();
    await sleep(100);
    expect(alive(child)).toBe(false);
  });
});
