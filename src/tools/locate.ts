/**
 * Finds tool executables: the project's `.tools/bin` first (what install-tools pinned), then
 * PATH. Reports where it found each, so a user can tell a pinned tool from a stray one.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { ToolError } from "../errors.js";

/** Where a tool was found. */
export interface LocatedTool {
  path: string;
  origin: "project" | "path";
}

/** The directory install-tools fills, relative to the project root. */
export const TOOLS_BIN = ".tools/bin";

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Locates `binary` for the project at `root`; undefined when it is nowhere. */
export function locate(root: string, binary: string, envPath = process.env.PATH ?? "") {
  const local = path.join(root, TOOLS_BIN, binary);
  if (isExecutable(local)) return { path: local, origin: "project" } satisfies LocatedTool;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    if (isExecutable(candidate)) return { path: candidate, origin: "path" } satisfies LocatedTool;
  }
  return undefined;
}

/** Like locate, but a missing tool is an error that says how to install it. */
export function requireTool(root: string, binary: string, envPath?: string): LocatedTool {
  const found = locate(root, binary, envPath);
  if (!found) {
    throw new ToolError(
      binary,
      `failed to find ${binary}: not in ${TOOLS_BIN} nor on PATH; run scripts/install-tools`,
    );
  }
  return found;
}
