/**
 * Reads the version of a tool binary. Go-built tools carry their main module and its
 * version in the binary; `go version -m` prints them exactly.
 */
import type { Runner } from "../exec/runner.js";
import type { ToolSpec } from "./catalog.js";

/** Parses `go version -m` output for the version of `module` (main module or a dependency). */
export function moduleVersionFromBuildInfo(buildInfo: string, module: string): string | undefined {
  for (const line of buildInfo.split("\n")) {
    const f = line.trim().split(/\s+/);
    if ((f[0] === "mod" || f[0] === "dep") && f[1] === module) return f[2];
  }
  return undefined;
}

/** The version of the tool at `binary`, or undefined when it cannot be determined. */
export async function readToolVersion(
  runner: Runner,
  spec: ToolSpec,
  binary: string,
): Promise<string | undefined> {
  if (spec.source.kind === "go") {
    const { stdout } = await runner.run("go", ["version", "-m", binary]);
    return moduleVersionFromBuildInfo(stdout, spec.source.module);
  }
  // Some tools (xrootd -v) print their version on stderr.
  const { stdout, stderr } = await runner.run(binary, spec.source.versionArgs);
  const text = `${stdout}\n${stderr}`;
  // x.y.z where printed; PostgreSQL's versions have two parts (psql (PostgreSQL) 15.18).
  return (/\d+\.\d+\.\d+[\w.+~-]*/.exec(text) ?? /\d+\.\d+\b/.exec(text))?.[0];
}
