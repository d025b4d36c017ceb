/**
 * Supervises long-running processes (etcd, the API server, kwok…). Runner.run waits for a
 * program to finish, so daemons use execa directly here, with the runner's redaction and
 * error style: a process that exits or never becomes ready yields a CommandError with its
 * command line, exit status and the tail of its log.
 *
 * Daemons are detached (their own process group, stdio to a log file, unreferenced): they
 * survive the process that started them until someone stops them by their recorded PID, and
 * a terminal's Ctrl-C reaches only the CLI, which then tears them down in order.
 */
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { CommandError, ShoppeError } from "../../../errors.js";
import type { Redactor } from "../../../exec/redact.js";
import { shellQuote, tail } from "../../../exec/runner.js";
import { isAlive, type ProcessRecord, recordOf, signalProcess, waitGone } from "./process-table.js";

/** What to start. */
export interface DaemonSpec {
  name: string;
  file: string;
  args: string[];
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Appended to; created if missing. */
  logFile: string;
  cwd?: string;
}

/** How a daemon ended. */
export interface DaemonExit {
  exitCode?: number | undefined;
  signal?: string | undefined;
  message?: string | undefined;
}

/** A started daemon. */
export interface Daemon {
  spec: DaemonSpec;
  record: ProcessRecord;
  /** Redacted, shell-quoted command line. */
  command: string;
  startedAt: number;
  /** Size of the log file before this start: what this run wrote begins here. */
  logOffset: number;
  /** Settles when the process ends (only observable from the process that started it). */
  exited: Promise<DaemonExit>;
  /** Set once `exited` settled. */
  exit?: DaemonExit;
}

/** Last lines of a log file, redacted; "" when it cannot be read. */
export function logTail(file: string | undefined, redactor: Redactor, lines = 40): string {
  if (!file) return "";
  try {
    return redactor.redact(tail(readFileSync(file, "utf8"), lines));
  } catch {
    return "";
  }
}

/** Starts `spec` detached, its output appended to its log file. */
export async function startDaemon(spec: DaemonSpec, redactor: Redactor): Promise<Daemon> {
  const command = redactor.redact(shellQuote([spec.file, ...spec.args]));
  const fd = openSync(spec.logFile, "a");
  const logOffset = fstatSync(fd).size;
  writeSync(fd, `# ${new Date().toISOString()} ${command}\n`);
  const startedAt = Date.now();
  // The child writes to the log file itself (an inherited descriptor), so it outlives us;
  // execa's types spell descriptors as literals, hence the cast.
  const out = fd as 3;
  const spawn = () =>
    execa(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? {},
      detached: true,
      cleanup: false,
      reject: false,
      buffer: false,
      stdin: "ignore",
      stdout: out,
      stderr: out,
    });
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn();
  } finally {
    closeSync(fd);
  }
  const daemon: Daemon = {
    spec,
    command,
    startedAt,
    logOffset,
    record: { name: spec.name, pid: child.pid ?? -1, command, logFile: spec.logFile },
    exited: child.then(
      (r) => ({
        exitCode: r.exitCode,
        signal: r.signal,
        message: r.failed ? r.shortMessage : undefined,
      }),
      (e: unknown) => ({ message: e instanceof Error ? e.message : String(e) }),
    ),
  };
  daemon.exited.then((x) => {
    daemon.exit = x;
  });
  if (child.pid === undefined) {
    // Spawning failed outright (ENOENT, EACCES): execa settles at once with the reason.
    throw startError(daemon, await daemon.exited, redactor, "failed to start");
  }
  child.unref();
  daemon.record = recordOf(spec.name, child.pid, { command, logFile: spec.logFile });
  return daemon;
}

function startError(d: Daemon, x: DaemonExit, redactor: Redactor, why: string): CommandError {
  const status = x.signal
    ? `killed by ${x.signal}`
    : x.exitCode !== undefined
      ? `exit status ${x.exitCode}`
      : redactor.redact(x.message ?? "exited");
  return new CommandError({
    message: `failed to start ${d.spec.name} (${why}: ${status}): ${d.command}`,
    command: d.command,
    exitStatus: x.exitCode,
    signal: x.signal,
    durationMs: Date.now() - d.startedAt,
    output: logTail(d.spec.logFile, redactor),
  });
}

/** Options of waitReady. */
export interface ReadyOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Polls `probe` until it resolves true. Rejects with a CommandError when the daemon exits
 * first or the time runs out (with the log tail), and with the abort reason on abort.
 */
export async function waitReady(
  d: Daemon,
  probe: () => Promise<boolean>,
  redactor: Redactor,
  o: ReadyOptions,
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    o.signal?.throwIfAborted();
    if (d.exit) throw startError(d, d.exit, redactor, "exited before it was ready");
    if (await probe().catch(() => false)) return;
    if (Date.now() >= deadline) {
      const secs = Math.round(o.timeoutMs / 1000);
      throw new CommandError({
        message: `failed to start ${d.spec.name} (not ready after ${secs}s): ${d.command}`,
        command: d.command,
        durationMs: Date.now() - d.startedAt,
        output: logTail(d.spec.logFile, redactor),
      });
    }
    await Promise.race([sleep(o.intervalMs ?? 200), d.exited]);
  }
}

/** True when this run of the daemon logged that a port it wanted was taken meanwhile. */
export function lostPortRace(d: Daemon): boolean {
  try {
    const text = readFileSync(d.spec.logFile).subarray(d.logOffset).toString("utf8");
    return /address already in use/i.test(text);
  } catch {
    return false;
  }
}

/**
 * Stops a recorded process: SIGTERM to its group, SIGKILL after `graceMs`. Resolves true when
 * it had to stop something, false when it was already gone; throws when it cannot be stopped.
 */
export async function stopProcess(record: ProcessRecord, graceMs = 10_000): Promise<boolean> {
  if (!isAlive(record)) return false;
  signalProcess(record, "SIGTERM");
  if (await waitGone(record, graceMs)) return true;
  signalProcess(record, "SIGKILL");
  if (await waitGone(record, 5_000)) return true;
  throw new ShoppeError(
    `failed to stop ${record.name} (pid ${record.pid}): still running after SIGKILL`,
  );
}
