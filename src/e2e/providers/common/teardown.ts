/**
 * Teardown of a local cluster from its recorded state: stop every recorded process that is
 * still the one recorded, wait for its ports to close, remove its directory. Used by delete,
 * by a failed or interrupted create, and to reap leftovers of killed runs; errors are
 * collected, never dropped.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ShoppeError } from "../../../errors.js";
import type { Logger } from "../../../log.js";
import { isPortFree } from "./ports.js";
import type { ClusterState, StateStore } from "./state.js";
import { stopProcess } from "./supervisor.js";

/** What a teardown did. */
export interface TeardownResult {
  /** Names of processes that were alive and were stopped. */
  stopped: string[];
  /** Ports still bound afterwards (taken by someone else, or a process that would not die). */
  busyPorts: number[];
}

async function waitPortsFree(ports: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy: number[] = [];
    for (const p of ports) if (!(await isPortFree(p))) busy.push(p);
    if (busy.length === 0 || Date.now() >= deadline) return busy;
    await sleep(100);
  }
}

/**
 * Stops everything `state` recorded, last started first (SIGTERM, SIGKILL after the grace
 * period) and, unless `keepFiles`, removes the cluster's directory. Throws one ShoppeError
 * naming every process that could not be stopped, after trying all of them.
 */
export async function teardownCluster(
  store: StateStore,
  state: ClusterState,
  logger: Logger,
  o: { graceMs?: number; keepFiles?: boolean } = {},
): Promise<TeardownResult> {
  // Reverse start order: clients before the API server before etcd. Stopping etcd first makes
  // the API server's graceful shutdown hang until SIGKILL.
  const stopped: string[] = [];
  const failures: unknown[] = [];
  for (const p of [...state.processes].reverse()) {
    try {
      if (await stopProcess(p, o.graceMs)) stopped.push(p.name);
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) {
    const why = failures.map((f) => (f instanceof Error ? f.message : String(f))).join("; ");
    throw new ShoppeError(`failed to tear down cluster "${state.name}": ${why}`, {
      cause: failures[0],
    });
  }
  const busyPorts = await waitPortsFree(Object.values(state.ports), 5_000);
  if (busyPorts.length > 0) {
    logger.warn(
      `cluster "${state.name}": ports ${busyPorts.join(", ")} are still in use after its processes stopped`,
    );
  }
  if (!o.keepFiles) store.remove(state.name);
  return { stopped, busyPorts };
}
