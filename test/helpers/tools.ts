/**
 * Tests that need an external tool: present → run; missing → skip with a reason locally,
 * but FAIL under CI=true, where a missing tool means the install scripts are broken.
 */
import path from "node:path";
import { describe, it } from "vitest";
import { locate } from "../../src/tools/locate.js";

/** The project root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Absolute path of a tool in .tools/bin or on PATH, or undefined. */
export function findTool(binary: string): string | undefined {
  return locate(ROOT, binary)?.path;
}

/** PATH with the pinned tools first, as the CLI sees it in a project. */
export function toolPath(): string {
  return `${path.join(ROOT, ".tools", "bin")}${path.delimiter}${process.env.PATH ?? ""}`;
}

/** True when the tests run under CI, where skipping for a missing tool is not allowed. */
export const UNDER_CI = process.env.CI === "true" || process.env.CI === "1";

/**
 * `describe` that requires every tool in `binaries`. When one is missing, CI gets a failing
 * test naming it; a developer gets a skipped suite with the same message.
 */
export function describeWithTools(name: string, binaries: string[], body: () => void): void {
  const missing = binaries.filter((b) => !findTool(b));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const why = `missing ${missing.join(", ")}: run scripts/install-tools`;
  if (UNDER_CI) {
    describe(name, () => {
      it(`has its tools (${binaries.join(", ")})`, () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} (${why})`, body);
  }
}
