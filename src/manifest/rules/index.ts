/**
 * Semantic rules a schema cannot express (relations between entries, files on disk). Each rule is named, pure over the manifest (plus
 * the file system for first-party charts) and returns diagnostics with positions; all rules
 * run, so the author sees every problem at once.
 */
import type { Diagnostic } from "../../errors.js";
import type { Stack } from "../schema.js";
import { charts } from "./charts.js";
import { dependencies } from "./dependencies.js";
import { endpoints } from "./endpoints.js";
import { images } from "./images.js";
import { kubernetes } from "./kubernetes.js";
import type { Rule, RuleContext } from "./rule.js";
import { updates } from "./updates.js";
import { WIRING_RULES } from "./wiring.js";

export type { Rule, RuleContext } from "./rule.js";

/** Every rule, in the order their diagnostics are reported. */
export const RULES: readonly Rule[] = [
  images,
  kubernetes,
  charts,
  dependencies,
  endpoints,
  updates,
  ...WIRING_RULES,
];

/**
 * Runs every rule and the caller's `extra` rules (layers above the manifest add theirs, e.g.
 * the umbrella's check of profile values); diagnostics are sorted by position so output reads
 * top to bottom.
 */
export async function runRules(
  stack: Stack,
  ctx: RuleContext,
  extra: readonly Rule[] = [],
): Promise<Diagnostic[]> {
  const all = (await Promise.all([...RULES, ...extra].map((r) => r.check(stack, ctx)))).flat();
  return sortByPosition(all);
}

/** Diagnostics in reading order (line, then column); the sort is stable for ties. */
export function sortByPosition(all: Diagnostic[]): Diagnostic[] {
  return all.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.col ?? 0) - (b.position?.col ?? 0),
  );
}
