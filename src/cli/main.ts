/**
 * The `shoppe` command line: argv → one action → printed result → exit code. Only this
 * module maps errors to exit codes (0 ok, 1 check failed, 2 bad input or usage).
 */
import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { CommandError, formatDiagnostic, InputError, ShoppeError } from "../errors.js";
import { registerCommands } from "./commands/index.js";
import { type CliIO, processIO, useColor } from "./io.js";
import { Kit, type Outcome } from "./kit.js";

/** Package version, shown by --version. */
const VERSION = "0.1.0";

/** Builds the commander program; `io` receives all output. */
export function buildProgram(io: CliIO, outcome: Outcome): Command {
  const program = new Command("shoppe")
    .description(
      "Coffea Shoppe: pin, render, test and release one umbrella Helm chart for an analysis facility",
    )
    .version(VERSION)
    .option("--json", "print the result as JSON on stdout")
    .option("-q, --quiet", "print only results and errors")
    .option("-v, --verbose", "print debug output and stack traces")
    .option("-C, --chdir <dir>", "run as if started in <dir> (the project root)")
    .option(
      "--config <file>",
      "settings file (env SHOPPE_CONFIG; default .shoppe.yaml in the project root; docs/config.md)",
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerCommands(program, new Kit(io, outcome));
  return program;
}

/** Prints an error the way a user can act on it, and returns its exit code. */
export function reportError(io: CliIO, err: unknown, verbose: boolean): number {
  const c = useColor(io) ? pc : pc.createColors(false);
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof InputError) {
    io.stderr(`${c.red("error:")} ${err.message}\n`);
    for (const d of err.diagnostics) io.stderr(`  ${formatDiagnostic(d)}\n`);
  } else if (err instanceof CommandError) {
    io.stderr(`${c.red("error:")} ${err.message}\n`);
    if (err.output) io.stderr(`${err.output.replace(/^/gm, "  | ")}\n`);
  } else if (err instanceof ShoppeError) {
    io.stderr(`${c.red("error:")} ${err.message}\n`);
  } else {
    io.stderr(`${c.red("internal error:")} ${err instanceof Error ? err.message : String(err)}\n`);
  }
  if (verbose && err instanceof Error && err.stack) io.stderr(`${c.dim(err.stack)}\n`);
  return err instanceof ShoppeError ? err.exitCode : 1;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const outcome: Outcome = { exitCode: 0 };
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync(argv, { from: "user" });
    return outcome.exitCode;
  } catch (err) {
    return reportError(io, err, Boolean(program.opts().verbose));
  }
}
