/**
 * The pinned tool versions. `scripts/tool-versions.env` is the single source: the bash
 * installer sources it, and this module parses it so `shoppe doctor` compares against it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";

/** Tool name → pinned version (with its leading `v`, as Go modules spell it). */
export type ToolPins = Record<string, string>;

/** The pins file, relative to the project root. */
export const PINS_FILE = "scripts/tool-versions.env";

/** Parses `KEY=value` lines (comments and blanks ignored) from the pins file. */
export function parsePins(text: string, file = PINS_FILE): ToolPins {
  const pins: ToolPins = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^([A-Z0-9_]+)_VERSION=([\w.+-]+)$/.exec(line);
    if (!m?.[1] || !m[2]) {
      throw new InputError(`${file}:${i + 1}: expected NAME_VERSION=version, got "${line}"`);
    }
    pins[m[1].toLowerCase().replaceAll("_", "-")] = m[2];
  });
  return pins;
}

/** Reads the pins of the project rooted at `root`; InputError when it has none. */
export function readPins(root: string): ToolPins {
  const file = path.join(root, PINS_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(
      `failed to read the tool pins ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; run shoppe in the Coffea Shoppe project root (or name it with -C <dir>)`,
      [],
      { cause: err },
    );
  }
  return parsePins(text);
}
