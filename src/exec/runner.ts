/**
 * The one way the library runs external programs. Every failure becomes a CommandError with
 * the shell-quoted command line, exit status or signal, duration and the redacted tail of its
 * output (kind's pkg/exec is the model: never a bare "exit status 1").
 */
import { CommandError } from "../errors.js";
import type { Redactor } from "./redact.js";

/** Options for one run. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Abort the child when this signal fires (Ctrl-C handling). */
  signal?: AbortSignal;
}

/** What a finished run produced. */
export interface RunResult {
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs programs; an interface so tests can hand actions a runner that fails on demand. */
export interface Runner {
  /** Runs `file args…` to completion; throws CommandError on a non-zero exit or signal. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

const TAIL_LINES = 40;

/** Quotes an argv the way a user could paste it into a POSIX shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`))
    .join(" ");
}

/** Last `n` non-empty lines of program output. */
export function tail(text: string, n = TAIL_LINES): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.slice(-n).join("\n");
}

/** The real runner, over execa. */
export class ExecaRunner implements Runner {
  constructor(private readonly redactor: Redactor) {}

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const command = this.redactor.redact(shellQuote([file, ...args]));
    // Loaded on the first run, not at start: commands that run nothing start faster.
    const { execa } = await import("execa");
    const result = await execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      input: options.input,
      timeout: options.timeoutMs,
      cancelSignal: options.signal,
      reject: false,
      all: true,
      stripFinalNewline: false,
    });
    const durationMs = Date.now() - started;
    if (result.exitCode === 0 && !result.failed) {
      return { stdout: result.stdout, stderr: result.stderr, durationMs };
    }
    const output = this.redactor.redact(tail(result.all ?? `${result.stderr}\n${result.stdout}`));
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.isCanceled
        ? "cancelled"
        : result.signal
          ? `killed by ${result.signal}`
          : result.exitCode === undefined
            ? this.redactor.redact(result.shortMessage ?? "failed to start")
            : `exit status ${result.exitCode}`;
    throw new CommandError({
      message: `command failed (${why}): ${command}`,
      command,
      exitStatus: result.exitCode,
      signal: result.signal,
      durationMs,
      output,
      cause: result.cause,
    });
  }
}
