/**
 * Liveness of recorded processes. A PID alone is not an identity (the kernel reuses them), so
 * a record also keeps the process's start time from /proc; a PID whose start time differs is
 * someone else's process and is never signalled.
 */
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** A process some run started, as recorded in a state file. */
export interface ProcessRecord {
  /** Component name, e.g. "kube-apiserver". */
  name: string;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22); absent without /proc. */
  startTime?: string;
  /** Shell-quoted, redacted command line, for errors and `list`. */
  command?: string;
  /** Where its stdout and stderr go. */
  logFile?: string;
}

interface Stat {
  state: string;
  startTime: string;
}

/** Parses /proc/<pid>/stat; undefined when the process does not exist (or there is no /proc). */
export function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTime = fields[19];
  return state && startTime ? { state, startTime } : undefined;
}

/** Whether this system has a Linux-style /proc to read start times from. */
function hasProcfs(): boolean {
  return readStat(process.pid) !== undefined;
}

/** A record for a process that is alive now (the current process, or one just spawned). */
export function recordOf(
  name: string,
  pid: number,
  extra: Partial<ProcessRecord> = {},
): ProcessRecord {
  const st = readStat(pid);
  return { name, pid, ...(st ? { startTime: st.startTime } : {}), ...extra };
}

/** True when the recorded process still runs: same PID, same start time, not a zombie. */
export function isAlive(record: Pick<ProcessRecord, "pid" | "startTime">): boolean {
  const st = readStat(record.pid);
  if (!st) {
    if (hasProcfs()) return false;
    try {
      process.kill(record.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  }
  if (st.state === "X") return false;
  // A zombie leader may still have threads finishing their exit, holding the process's
  // sockets (its ports are not free yet); it is gone once it is the only task left.
  if (st.state === "Z") return liveTasks(record.pid) > 1;
  return record.startTime === undefined || record.startTime === st.startTime;
}

/** Number of threads of `pid` still listed in /proc (0 when it cannot be read). */
function liveTasks(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
  }
}

/** Waits until `record` is gone or `timeoutMs` passes; true when it is gone. */
export async function waitGone(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Sends `signal` to the recorded process's group (supervised daemons lead their own group, so
 * helpers they fork go too), falling back to the process alone. Does nothing to a process
 * that is no longer the recorded one.
 */
export function signalProcess(record: ProcessRecord, signal: NodeJS.Signals): void {
  if (!isAlive(record)) return;
  for (const target of [-record.pid, record.pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }
}
