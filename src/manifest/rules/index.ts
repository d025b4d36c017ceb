/**
 * Semantic rules a schema cannot express. Each rule is named, pure over the manifest (plus
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
import { componentIds, profiles, versions } from "./names.js";
import type { Rule, RuleContext } from "./rule.js";
import { WIRING_RULES } from "./wiring.js";

export type { Rule, RuleContext } from "./rule.js";

/** Every rule, in the order their diagnostics are reported. */
export const RULES: readonly Rule[] = [
  componentIds,
  versions,
  images,
  kubernetes,
  charts,
  dependencies,
  endpoints,
  profiles,
  ...WIRING_RULES,
];

/** Runs every rule; diagnostics are sorted by position so output reads top to bottom. */
export async function runRules(stack: Stack, ctx: RuleContext): Promise<Diagnostic[]> {
  const all = (await Promise.all(RULES.map((r) => r.check(stack, ctx)))).flat();
  return all.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.col ?? 0) - (b.position?.col ?? 0),
  );
}
