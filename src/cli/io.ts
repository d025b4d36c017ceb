/**
 * How the CLI talks to the terminal: data on stdout, everything else on stderr, colour only
 * on a TTY without NO_COLOR, spinners only when stderr is a TTY and not --quiet/--json.
 */
import pc from "picocolors";
import type { Logger, Progress } from "../log.js";

/** The streams the CLI writes to; tests pass string sinks. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is an interactive terminal. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The process's real streams. */
export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Global flags every command accepts. */
export interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Whether to colour stderr output. */
export function useColor(io: CliIO): boolean {
  return io.isTTY && !io.env.NO_COLOR;
}

/** A logger writing to stderr, honouring --quiet and --verbose. */
export function cliLogger(io: CliIO, flags: GlobalFlags): Logger {
  const c = useColor(io) ? pc : pc.createColors(false);
  return {
    info: (m) => {
      if (!flags.quiet) io.stderr(`${m}\n`);
    },
    warn: (m) => io.stderr(`${c.yellow("warning:")} ${m}\n`),
    debug: (m) => {
      if (flags.verbose) io.stderr(`${c.dim(m)}\n`);
    },
  };
}

/**
 * Spinners on an interactive stderr; plain start/done lines otherwise (CI logs). ora is loaded
 * only for an interactive terminal, when a command builds its context.
 */
export async function cliProgress(io: CliIO, flags: GlobalFlags): Promise<Progress> {
  if (flags.quiet || flags.json) return { start: () => ({ succeed() {}, fail() {} }) };
  if (io.isTTY && !io.env.CI) {
    const { default: ora } = await import("ora");
    return {
      start(title) {
        const s = ora({ text: title, stream: process.stderr }).start();
        return {
          succeed: (d) => s.succeed(d ? `${title}: ${d}` : title),
          fail: (d) => s.fail(d ? `${title}: ${d}` : title),
        };
      },
    };
  }
  return {
    start(title) {
      const t0 = Date.now();
      io.stderr(`• ${title}\n`);
      const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
      return {
        succeed: (d) => io.stderr(`✓ ${title}${d ? `: ${d}` : ""} (${secs()}s)\n`),
        fail: (d) => io.stderr(`✗ ${title}${d ? `: ${d}` : ""} (${secs()}s)\n`),
      };
    },
  };
}
