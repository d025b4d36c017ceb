/** Names and versions: component ids, SemVer versions, profile names. */
import semver from "semver";
import type { Diagnostic } from "../../errors.js";
import { COMPONENT_ID } from "../schema.js";
import { at, type Rule } from "./rule.js";

const PROFILE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Top-level keys of the umbrella's values that are not component blocks: Helm's `global` and
 * `tags`, the umbrella's own `shoppe` and the `components` switches.
 */
const RESERVED_IDS: ReadonlyMap<string, string> = new Map([
  ["global", "Helm"],
  ["tags", "Helm"],
  ["shoppe", "the umbrella's own templates"],
  ["components", "the umbrella's component switches"],
]);

/** Component ids are values keys and Helm aliases; some top-level keys are taken. */
export const componentIds: Rule = {
  name: "component-ids",
  check: (stack, ctx) =>
    Object.keys(stack.components).flatMap((id) => {
      const owner = RESERVED_IDS.get(id);
      if (owner !== undefined)
        return [
          at(
            ctx,
            ["components", id],
            `"${id}" is reserved by ${owner} and cannot name a component`,
          ),
        ];
      return COMPONENT_ID.test(id)
        ? []
        : [
            at(
              ctx,
              ["components", id],
              `"${id}" is not a valid component id (lowercase letters, digits and dashes, 2-40 characters)`,
            ),
          ];
    }),
};

/** Release and chart versions are SemVer. */
export const versions: Rule = {
  name: "semver-versions",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    if (!semver.valid(stack.release.version)) {
      out.push(
        at(ctx, ["release", "version"], `"${stack.release.version}" is not a valid version`),
      );
    }
    for (const [id, c] of Object.entries(stack.components)) {
      if (c.chart && !semver.valid(c.chart.version)) {
        out.push(
          at(
            ctx,
            ["components", id, "chart", "version"],
            `"${c.chart.version}" is not a valid version`,
          ),
        );
      }
    }
    return out;
  },
};

/** Profile names become file names (ci/<profile>-values.yaml). */
export const profiles: Rule = {
  name: "profiles",
  check: (stack, ctx) =>
    Object.keys(stack.profiles)
      .filter((n) => !PROFILE_NAME.test(n))
      .map((n) =>
        at(
          ctx,
          ["profiles", n],
          `"${n}" is not a valid profile name (lowercase letters, digits, dashes)`,
        ),
      ),
};
