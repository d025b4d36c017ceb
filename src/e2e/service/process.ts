/**
 * The service tier's processes: each started in its own process group (a server's workers go
 * with it), its output in a log file beside its configuration, stopped with SIGTERM to the
 * group and SIGKILL after a grace period. Waits for readiness are bounded, and fail at once,
 * with the log's last lines, when the process exits first.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** What to start. */
export interface ProcessSpec {
  name: string;
  file: string;
  args: string[];
  /** The whole environment (nothing is inherited but what the caller passes). */
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  /** Run as this user (xrootd and PostgreSQL refuse root); supplementary groups cleared. */
  user?: { uid: number; gid: number } | undefined;
}

/** A started process. */
export class LocalProcess {
  readonly child: ChildProcess;
  private readonly gone: Promise<void>;

  constructor(readonly spec: ProcessSpec) {
    const log = createWriteStream(spec.logFile, { flags: "a" });
    this.child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.gone = new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.once("error", () => resolve());
    });
  }

  /** Whether it has exited (or never started). */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null || !this.child.pid;
  }

  /** The last lines of its log. */
  tail(lines = 15): string {
    try {
      return readFileSync(this.spec.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Why it is not running, with its log's last lines. */
  deathNote(): string {
    const how = this.child.signalCode
      ? `was killed by ${this.child.signalCode}`
      : `exited with ${this.child.exitCode ?? "an error starting it"}`;
    return `${this.spec.name} ${how}; last lines of ${this.spec.logFile}:\n${this.tail()}`;
  }

  /** Waits for it to exit (an init container); its exit code, or a reason on timeout or abort. */
  async finished(timeoutMs: number, signal: AbortSignal): Promise<number> {
    const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), timeoutMs).unref());
    const aborted = new Promise<"aborted">((r) =>
      signal.addEventListener("abort", () => r("aborted"), { once: true }),
    );
    const how = await Promise.race([this.gone.then(() => "exited" as const), timer, aborted]);
    if (how !== "exited") {
      await this.stop();
      throw new Error(
        `${this.spec.name} ${how === "timeout" ? `did not finish within ${timeoutMs / 1000}s` : "was interrupted"}`,
      );
    }
    return this.child.exitCode ?? -1;
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    const pid = this.child.pid;
    if (!pid) return;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // The group is gone already.
      }
    };
    // A leader that exited (a crash, a shell) may have left the rest of its group running.
    if (this.exited) return kill("SIGKILL");
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), graceMs);
    await this.gone;
    clearTimeout(timer);
    // Children that left the group leader behind (a forked worker) go too.
    kill("SIGKILL");
  }
}

function connects(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(1_000);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(false));
  });
}

/** Polls `ready` every 200 ms until true; fails when `p` exits, on `timeoutMs` or on abort. */
export async function waitUntil(
  p: LocalProcess,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) throw new Error(`interrupted while waiting for ${what}`);
    if (p.exited) throw new Error(p.deathNote());
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${p.spec.name}: ${what} not ready within ${timeoutMs / 1000}s; last lines of its log:\n${p.tail()}`,
      );
    }
    await sleep(200);
  }
}

/** Waits until `port` on loopback accepts connections. */
export function waitForPort(
  p: LocalProcess,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  return waitUntil(p, `port ${port}`, () => connects(port), timeoutMs, signal);
}

/**
 * The ids of a system user (`xrootd`, `postgres`) from /etc/passwd, for servers that refuse to
 * run as root; undefined when this process is not root (then they run as this user).
 */
export function dropTo(name: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const f = line?.split(":");
  if (!f?.[2] || !f[3]) {
    throw new Error(
      `running as root, and there is no ${name} user to run the server as (its Debian package creates it)`,
    );
  }
  return { uid: Number(f[2]), gid: Number(f[3]) };
}
