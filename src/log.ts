/**
 * The library never prints: it reports through these interfaces, and the CLI decides how
 * (TTY spinners, --quiet, --json). Tests pass a recording logger.
 */

/** Human-facing messages, written to stderr by the CLI. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Only shown with --verbose. */
  debug(message: string): void;
}

/** A long-running step the CLI may show as a spinner. */
export interface Progress {
  /** Starts a step; the returned handle ends it. */
  start(title: string): ProgressStep;
}

/** One step started by Progress.start. */
export interface ProgressStep {
  succeed(detail?: string): void;
  fail(detail?: string): void;
}

/** Runs `fn` as one step of `progress`: shown as succeeded or failed as it ends. */
export async function withProgress<T>(
  progress: Progress,
  title: string,
  fn: () => Promise<T>,
): Promise<T> {
  const p = progress.start(title);
  try {
    const v = await fn();
    p.succeed();
    return v;
  } catch (err) {
    p.fail();
    throw err;
  }
}

/** A logger that drops everything (library default, and for --quiet). */
export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** Progress that shows nothing. */
export const silentProgress: Progress = {
  start: () => ({ succeed() {}, fail() {} }),
};

/** A logger that keeps messages, for tests and for --json results that carry warnings. */
export class RecordingLogger implements Logger {
  readonly lines: { level: "info" | "warn" | "debug"; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: "info", message });
  }
  warn(message: string): void {
    this.lines.push({ level: "warn", message });
  }
  debug(message: string): void {
    this.lines.push({ level: "debug", message });
  }
}
