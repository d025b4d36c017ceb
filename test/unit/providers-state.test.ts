import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import {
  isAlive,
  type ProcessRecord,
  recordOf,
} from "../../src/e2e/providers/common/process-table.js";
import { type ClusterState, isLeftover, StateStore } from "../../src/e2e/providers/common/state.js";
import { startDaemon } from "../../src/e2e/providers/common/supervisor.js";
import { clusterStatus, KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import { Redactor } from "../../src/exec/redact.js";
import { RecordingLogger } from "../../src/log.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempRoot(): string {
  const d = mkdtempSync(path.join(tmpdir(), "shoppe-state-"));
  dirs.push(d);
  return d;
}

const DEAD: ProcessRecord = { name: "owner", pid: 99_999_999, startTime: "1" };

function state(name: string, o: Partial<ClusterState> = {}): ClusterState {
  return {
    schema: 1,
    name,
    provider: "kwok",
    phase: "ready",
    lifetime: "persistent",
    owner: DEAD,
    createdAt: "2026-01-01T00:00:00Z",
    kubeconfig: `/nowhere/${name}/kubeconfig`,
    ports: {},
    processes: [],
    nodes: [],
    ...o,
  };
}

describe("cluster state", () => {
  it("claims a name once, atomically, and lists only directories with a state file", () => {
    const store = new StateStore(tempRoot());
    expect(store.claim("a")).toBe(true);
    expect(store.claim("a")).toBe(false);
    store.write(state("a"));
    mkdirSync(store.dir("junk"));
    expect(store.names()).toEqual(["a"]);
    expect(store.read("a")?.phase).toBe("ready");
    expect(store.read("missing")).toBeUndefined();
  });

  it("calls a cluster a leftover only when its creator is gone and it was a session or unfinished", () => {
    const me = recordOf("owner", process.pid);
    expect(isLeftover(state("a", { lifetime: "session", owner: me }))).toBe(false);
    expect(isLeftover(state("a", { lifetime: "session" }))).toBe(true);
    expect(isLeftover(state("a", { lifetime: "persistent", phase: "creating" }))).toBe(true);
    expect(isLeftover(state("a", { lifetime: "persistent", phase: "ready" }))).toBe(false);
    expect(clusterStatus(state("a", { processes: [DEAD] }))).toBe("stopped");
    expect(clusterStatus(state("a", { owner: me, phase: "creating" }))).toBe("creating");
  });
});

describe("kwok provider bookkeeping (no control plane needed)", () => {
  it("reaps a leftover: stops its live processes and removes its directory", async () => {
    const root = tempRoot();
    const logger = new RecordingLogger();
    const provider = new KwokProvider(createContext({ root, logger }), {
      stateRoot: path.join(root, "clusters"),
    });
    const store = provider.store;
    store.claim("orphan");
    const d = await startDaemon(
      {
        name: "sleeper",
        file: process.execPath,
        args: ["-e", "setInterval(() => {}, 1000)"],
        logFile: path.join(store.dir("orphan"), "sleeper.log"),
      },
      new Redactor(),
    );
    store.write(state("orphan", { lifetime: "session", processes: [d.record] }));
    store.claim("kept");
    store.write(state("kept", { processes: [DEAD] }));

    expect((await provider.list()).map((c) => [c.name, c.status])).toEqual([
      ["kept", "stopped"],
      ["orphan", "leftover"],
    ]);
    expect(await provider.reapLeftovers()).toEqual(["orphan"]);
    expect(isAlive(d.record)).toBe(false);
    expect(existsSync(store.dir("orphan"))).toBe(false);
    expect(existsSync(store.dir("kept"))).toBe(true); // persistent and finished: not a leftover
    expect(logger.lines.map((l) => l.message).join("\n")).toContain(
      'reaping leftover cluster "orphan"',
    );
  });

  it("deletes idempotently and names the known clusters when one is missing", async () => {
    const root = tempRoot();
    const provider = new KwokProvider(createContext({ root }), { stateRoot: root });
    provider.store.claim("one");
    provider.store.write(state("one"));
    expect(await provider.delete("two")).toEqual({ name: "two", found: false, stopped: [] });
    await expect(provider.kubeconfig("two")).rejects.toThrow(
      /failed to find kwok cluster "two" .*known clusters: one/,
    );
    expect(await provider.kubeconfig("one")).toBe("/nowhere/one/kubeconfig");
    expect(await provider.delete("one")).toEqual({ name: "one", found: true, stopped: [] });
    expect(provider.store.names()).toEqual([]);
  });
});
