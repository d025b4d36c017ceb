/**
 * Runs fuzz cases through the real CLI entry in one long-lived child process (cli-child.ts),
 * with a deadline per command. A command that misses it, even a synchronous infinite loop that
 * never yields, is reported as a hang and the child is killed and replaced; a child that dies
 * (a crash, `process.exit`, an unhandled rejection) is reported too, and so is a file written
 * into the child's own working directory (an empty one). One child per test file:
 * starting a process per case would cost more than the cases themselves.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CliRun } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";

/** A request to the child: run `shoppe <argv>` in `cwd` (or, as a self-test, spin forever). */
export interface ChildRequest {
  id: number;
  argv: string[];
  cwd: string;
  spin?: boolean;
}

/** A command's outcome, and what it printed past the CLI's sinks (on the process itself). */
export interface ChildRun extends CliRun {
  stray: string;
}

/** The child's answers: ready once, then one per request. */
export type ChildReply =
  | { ready: true }
  | { id: number; result: ChildRun }
  | { id: number; rejected: string };

/** Why a command produced no exit code: it hung, or the process running it died. */
export class HarnessFailure extends Error {}

/** How long the child may take to load the sources (tsx compiles them on first import). */
const STARTUP_MS = 120_000;

interface Live {
  child: ChildProcess;
  ready: Promise<void>;
  output: string[];
  /** Rejects the pending request when the child exits. */
  onExit?: (why: string) => void;
}

/** The CLI in a child process with a per-command deadline. */
export class CliChild {
  private live: Live | undefined;
  private nextId = 0;
  private disposed = false;
  /**
   * The child's own working directory: empty, and checked to stay so. The CLI takes its
   * directory from its io, never from the process; a bug that did would write here, not in
   * this repository.
   */
  private readonly cwd = mkdtempSync(path.join(os.tmpdir(), "shoppe-fuzz-cwd-"));

  /** `deadlineMs` bounds each command once the child is ready. */
  constructor(readonly deadlineMs: number) {}

  /** Runs `shoppe <argv>` in `cwd`; a HarnessFailure if it hangs or kills the process. */
  async run(argv: string[], cwd: string): Promise<ChildRun> {
    return this.request({ id: this.nextId++, argv, cwd });
  }

  /** The self-test of the deadline: a request that spins synchronously forever. */
  async spin(): Promise<ChildRun> {
    return this.request({ id: this.nextId++, argv: [], cwd: ROOT, spin: true });
  }

  /** Starts the child now, so the first deadline does not include loading the sources. */
  async start(): Promise<void> {
    await this.ensureLive();
  }

  /** Kills the child for good: a case still running past the test's end fails. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.kill();
    await rm(this.cwd, { recursive: true, force: true });
  }

  /** Kills the child (a later run starts a new one). */
  private async kill(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (!live || live.child.exitCode !== null || live.child.signalCode !== null) return;
    const gone = new Promise((resolve) => live.child.once("exit", resolve));
    live.child.kill("SIGKILL");
    await gone;
  }

  private async request(request: ChildRequest): Promise<ChildRun> {
    const live = await this.ensureLive();
    const shown = `shoppe ${request.argv.map((a) => JSON.stringify(a)).join(" ")}`;
    live.output.length = 0;
    return new Promise<ChildRun>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        live.child.off("message", onMessage);
        live.onExit = undefined;
      };
      const onMessage = (reply: ChildReply) => {
        if (!("id" in reply) || reply.id !== request.id) return;
        done();
        const stray = readdirSync(this.cwd);
        if (stray.length > 0) {
          reject(
            new HarnessFailure(
              `${shown}: wrote ${stray.join(", ")} into the process's own working directory`,
            ),
          );
        } else if ("result" in reply) resolve(reply.result);
        else
          reject(
            new HarnessFailure(
              `${shown}: run() rejected instead of returning an exit code: ${reply.rejected}`,
            ),
          );
      };
      live.onExit = (why) => {
        done();
        reject(new HarnessFailure(`${shown}: the process running it died (${why})${tail(live)}`));
      };
      const timer = setTimeout(() => {
        done();
        void this.kill();
        reject(
          new HarnessFailure(
            `${shown}: no exit within ${this.deadlineMs} ms (a hang; killed)${tail(live)}`,
          ),
        );
      }, this.deadlineMs);
      live.child.on("message", onMessage);
      live.child.send(request);
    });
  }

  private ensureLive(): Promise<Live> {
    if (this.disposed) return Promise.reject(new Error("the CLI child is disposed"));
    if (this.live) return this.live.ready.then(() => this.live as Live);
    const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const child = fork(path.join(import.meta.dirname, "cli-child.ts"), [], {
      cwd: this.cwd,
      execArgv: ["--import", tsx],
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const live: Live = { child, output: [], ready: Promise.resolve() };
    const keep = (b: Buffer) => live.output.push(b.toString());
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    live.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the CLI child did not start")), STARTUP_MS);
      child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the CLI child exited while starting (${signal ?? code})${tail(live)}`));
      });
    });
    child.on("exit", (code, signal) => {
      if (this.live === live) this.live = undefined;
      live.onExit?.(signal ? `signal ${signal}` : `exit code ${code}`);
    });
    this.live = live;
    return live.ready.then(() => live);
  }
}

/** What the child printed outside the CLI's sinks (Node's own crash report), for messages. */
function tail(live: Live): string {
  const text = live.output.join("").trim();
  return text ? `; it printed:\n${text.slice(-4000)}` : "";
}
