/** Runs the real CLI entry point in-process with string sinks, for golden and exit-code tests. */

import type { CliIO } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";

/** What one CLI invocation produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `shoppe <argv>` with `cwd` as the working directory; no TTY, no colour. */
export async function runCli(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    env: { PATH: process.env.PATH, NO_COLOR: "1", ...env },
    cwd,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
