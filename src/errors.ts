/**
 * Every error class the library throws. Only `cli/main.ts` maps them to exit codes:
 * bad input → 2, a check that ran and failed → 1, interrupted → 130 (SIGINT) or 143 (SIGTERM),
 * anything else → 1 with its stack under --verbose.
 */
import { constants } from "node:os";

/** Base class: an error the user can act on, carrying context fields and a cause. */
export class ShoppeError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A position in an input file, 1-based, as editors and compilers print it. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** One problem found in an input document. */
export interface Diagnostic {
  /** Where it is; absent when the problem is about the file as a whole. */
  position?: SourcePosition;
  /** Dotted path in the document, e.g. `components.mlflow.chart.version`; "" for the root. */
  path: string;
  message: string;
}

/** Formats a diagnostic as `file:line:col: path: message`, the shape compilers use. */
export function formatDiagnostic(d: Diagnostic, fallbackFile = ""): string {
  const where = d.position
    ? `${d.position.file}:${d.position.line}:${d.position.col}`
    : fallbackFile || "<input>";
  return d.path ? `${where}: ${d.path}: ${d.message}` : `${where}: ${d.message}`;
}

/** Input that cannot be used: a missing file, bad YAML, a schema violation. Exit 2. */
export class InputError extends ShoppeError {
  override readonly exitCode = 2;
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.diagnostics = diagnostics;
  }
}

/**
 * An input file that cannot be read: missing, not a regular file, too large, unreadable.
 * `reason` says why and what to do; `missing` lets a caller treat an absent file as optional.
 */
export class InputFileError extends InputError {
  readonly file: string;
  readonly reason: string;
  readonly missing: boolean;
  constructor(file: string, reason: string, options: { missing?: boolean; cause?: unknown } = {}) {
    super(`failed to read ${file}: ${reason}`, [], { cause: options.cause });
    this.file = file;
    this.reason = reason;
    this.missing = options.missing ?? false;
  }
}

/** Wrong flags or arguments. Exit 2. */
export class UsageError extends ShoppeError {
  override readonly exitCode = 2;
}

/** A check ran and found problems (stale chart, image drift, failed lint). Exit 1. */
export class CheckFailedError extends ShoppeError {
  override readonly exitCode = 1;
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.details = details;
  }
}

/**
 * Work stopped by SIGINT or SIGTERM after cleaning up; exit 128 + the signal's number (130,
 * 143), the code a shell reports for a program the signal ended.
 */
export class InterruptedError extends ShoppeError {
  override readonly exitCode: number;
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.signal = signal;
    this.exitCode = 128 + (constants.signals[signal] ?? 0);
  }

  /** The error for work that `abort` stopped, saying what was interrupted and what is left. */
  static of(abort: AbortSignal, message: (received: string) => string): InterruptedError {
    const reason: unknown = abort.reason;
    const signal = reason instanceof InterruptedError ? reason.signal : "SIGINT";
    const received = reason instanceof Error ? reason.message : `received ${signal}`;
    return new InterruptedError(signal, message(received), { cause: reason });
  }
}

/** A tool the project needs is missing or is not the pinned version. Exit 1. */
export class ToolError extends ShoppeError {
  readonly tool: string;
  constructor(tool: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.tool = tool;
  }
}

/** An external program failed; carries its command line, exit status and output tail. */
export class CommandError extends ShoppeError {
  readonly command: string;
  readonly exitStatus: number | undefined;
  readonly signal: string | undefined;
  readonly durationMs: number;
  readonly output: string;
  constructor(fields: {
    message: string;
    command: string;
    exitStatus?: number | undefined;
    signal?: string | undefined;
    durationMs: number;
    output: string;
    cause?: unknown;
  }) {
    super(fields.message, { cause: fields.cause });
    this.command = fields.command;
    this.exitStatus = fields.exitStatus;
    this.signal = fields.signal;
    this.durationMs = fields.durationMs;
    this.output = fields.output;
  }
}
