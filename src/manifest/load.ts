/**
 * Loads stack.yaml: parse with positions → the document as data (no `__proto__` keys, no
 * characters a chart cannot carry) → schema → defaults → named semantic rules, and reports
 * every problem of a phase at once (file:line:col: path: message), never only the first.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import { dataProblems } from "./data-check.js";
import { parseYamlFile } from "./parse.js";
import type { PositionedDocument } from "./positions.js";
import { type Rule, runRules, sortByPosition } from "./rules/index.js";
import { type Stack, StackSchema } from "./schema.js";
import { issuesToDiagnostics } from "./schema-issues.js";

/** A valid manifest and where it came from. */
export interface LoadedStack {
  stack: Stack;
  /** Absolute path of the file. */
  file: string;
  /** Directory first-party chart paths are relative to. */
  dir: string;
  /** The source document, for diagnostics that point into it. */
  document: PositionedDocument;
}

/** Options for loadStack. */
export interface LoadStackOptions {
  /** How the file is named in messages; defaults to the path as given. */
  shownAs?: string;
  /** Rules of the layers above run with the manifest's own (e.g. the umbrella's profile check). */
  rules?: readonly Rule[];
}

/** Loads and validates the manifest at `file`; throws InputError with all diagnostics. */
export async function loadStack(
  file: string,
  options: LoadStackOptions = {},
): Promise<LoadedStack> {
  const shown = options.shownAs ?? file;
  const { positioned, value } = await parseYamlFile(file, shown);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`failed to load ${shown}: not a valid stack manifest`, [
      { position: positioned.locate([]), path: "", message: "the document must be a mapping" },
    ]);
  }
  const unfit = dataProblems(value, positioned);
  if (unfit.length > 0) {
    throw new InputError(
      `failed to load ${shown}: not a valid stack manifest`,
      sortByPosition(unfit),
    );
  }
  const parsed = StackSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(
      `failed to load ${shown}: not a valid stack manifest`,
      sortByPosition(issuesToDiagnostics(parsed.error.issues, positioned)),
    );
  }
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const problems = await runRules(parsed.data, { document: positioned, dir }, options.rules);
  if (problems.length > 0) {
    throw new InputError(`failed to load ${shown}: not a valid stack manifest`, problems);
  }
  return { stack: parsed.data, file: absolute, dir, document: positioned };
}
