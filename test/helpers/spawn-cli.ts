/**
 * The CLI as a real process, for what only a process has: signals and exit codes set by them.
 * It runs the sources under tsx (always the code under test, built or not), in one Node process
 * as bin/shoppe.js does, so a signal reaches the CLI itself.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./tools.js";

/** A spawned `shoppe`, its combined output so far, and its exit. */
export interface SpawnedCli {
  child: ChildProcess;
  output(): string;
  /** The exit code, or the signal name when a signal ended it. */
  exited: Promise<number | string>;
}

/** Starts `shoppe <argv>` in `cwd`; no colour, no TTY. */
export function spawnCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnedCli {
  const entry = path.join(ROOT, "test/helpers/shoppe-entry.ts");
  // By path: the working directory is a temporary project without node_modules.
  const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, entry, ...argv], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const collect = (b: Buffer) => {
    text += b.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => text, exited };
}
