/**
 * Running the two sides of a benchmark as processes: the built CLI (`bin/shoppe.js`, what
 * users run, so `npm run bench` builds first) and a peer, with wall time and peak memory (the
 * largest resident set of the process tree, from GNU time's %M).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** The project root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");
/** The published entry point. */
export const SHOPPE_BIN = path.join(ROOT, "bin", "shoppe.js");
const TIME = "/usr/bin/time";

/** Why the CLI benchmarks cannot run, or undefined. */
export function cliMissing(): string | undefined {
  if (!existsSync(path.join(ROOT, "dist", "cli", "main.js"))) return "no dist/: run npm run build";
  return undefined;
}

/** Why peak memory cannot be measured, or undefined. */
export function timeMissing(): string | undefined {
  return existsSync(TIME) ? undefined : `no ${TIME} (Debian package time)`;
}

/** Output and error output of a finished process. */
interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv` asynchronously (a server in this process must keep answering while it runs).
 */
function spawnAsync(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Finished> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(
      cmd as string,
      args,
      { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `argv` to completion; rejects with its output when it fails. */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = ROOT,
): Promise<string> {
  const r = await spawnAsync(argv, env, cwd);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Peak resident memory (MiB) and wall time (s) of `argv` and everything it starts. */
export async function peak(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = ROOT,
): Promise<{ mib: number; seconds: number }> {
  const r = await spawnAsync([TIME, "-f", "%M %e", ...argv], env, cwd);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.stderr}`);
  const [kib, secs] = (r.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return { mib: Math.round((kib ?? 0) / 1024), seconds: secs ?? 0 };
}
