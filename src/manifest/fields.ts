/**
 * The string fields of the stack.yaml model: formats with messages that quote the value,
 * one-line and multi-line text, versions, ids and names. schema.ts composes them.
 */
import semver from "semver";
import * as z from "zod";
import { type Format, IMAGE_TAG, SEMVER } from "./formats.js";
import { quote } from "./text.js";

/** Component ids are also the umbrella's values keys and Helm aliases. */
export const COMPONENT_ID = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

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

/** Tags that move: a release never pins one. */
const MOVING_TAGS = new Set([
  "latest",
  "development",
  "develop",
  "dev",
  "master",
  "main",
  "nightly",
  "edge",
  "stable",
]);

/** Any non-empty string. */
export const nonEmpty = z.string().min(1, { error: "must not be empty", abort: true });

/** A string of the given format; the message says what is wrong with this value. */
export function formatted(f: Format) {
  // Aborting: refinements after a format assume the value has it.
  return nonEmpty.regex(f.pattern, { error: (iss) => f.explain(String(iss.input)), abort: true });
}

/** A name matching `re`, described as `what` when it does not. */
export function named(re: RegExp, what: string) {
  return nonEmpty.regex(re, { error: (iss) => `${quote(String(iss.input))} ${what}`, abort: true });
}

/** One line of text: no line breaks or other control characters. */
export const line = named(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
  /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/u,
  "must be one line of text (no line breaks or control characters)",
);

/** Text of any length: line breaks and tabs, but no other control characters. */
export const prose = named(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
  /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]*$/u,
  "must not hold control characters",
);

/** An exact SemVer version that both node-semver and helm (Masterminds semver) accept. */
export const version = formatted(SEMVER).refine((v) => semver.parse(v) !== null, {
  error: (iss) => `${quote(String(iss.input))} is not a valid version (a number is too large)`,
  abort: true,
});

/** A component id: the record key of `components` and the target of `dependsOn`. */
export const componentId = named(
  COMPONENT_ID,
  "is not a valid component id (lowercase letters, digits and dashes, 2-40 characters)",
).refine((id) => !RESERVED_IDS.has(id), {
  error: (iss) =>
    `${quote(String(iss.input))} is reserved by ${RESERVED_IDS.get(String(iss.input))} and cannot name a component`,
});

/**
 * A dotted path of chart values, at most 512 characters (values nest 64 deep at most); `__proto__`
 * cannot be a values key (see data-check.ts).
 */
export const valuePath = named(
  /^(?=.{1,512}$)(?!(?:.*\.)?__proto__(?:\.|$))[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/u,
  "is not a dotted values path (keys of letters, digits, _ and -, joined by single dots; at most 512 characters)",
);

/** A chart name helm accepts (it refuses `/`, `.` and `..`). */
export const chartName = named(
  /^(?!\.\.?$)[A-Za-z0-9._-]{1,250}$/u,
  "is not a chart name (letters, digits, . _ -; not . or ..)",
);

/**
 * The umbrella chart's name and the Helm release-name rules it follows: a DNS label of at most
 * 53 characters, so `<name>-endpoints` (the ConfigMap) is a valid object name too.
 */
export const releaseName = named(
  /^(?=.{1,53}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/u,
  "is not a lowercase DNS label of at most 53 characters (a-z, 0-9, -), as Helm requires",
);

/** The release version also becomes the label app.kubernetes.io/version: 63 characters, no `+`. */
export const releaseVersion = version.refine((v) => v.length <= 63 && !v.includes("+"), {
  error: (iss) =>
    `${quote(String(iss.input))} becomes the label app.kubernetes.io/version, so it must be at most 63 characters without build metadata (+…)`,
});

/** An image tag by the distribution reference grammar, never a moving one. */
export const imageTag = formatted(IMAGE_TAG).refine((t) => !MOVING_TAGS.has(t.toLowerCase()), {
  error: (iss) => `${quote(String(iss.input))} is a moving tag; pin a release tag`,
});

/**
 * A list of at most `max` entries. The generator's work grows with products of these lists
 * (every endpointEnv consumer receives every endpoint), so they are bounded where a facility
 * needs a handful.
 */
export function listOf<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).max(max, {
    error: (iss) =>
      `has ${(iss.input as unknown[]).length} entries; shoppe supports at most ${max} here`,
  });
}

/** A mapping keyed by `key` with at most `max` entries (`maxProperties` in the JSON Schema). */
export function mapOf<K extends z.ZodType<string>, V extends z.ZodType>(
  key: K,
  value: V,
  max: number,
) {
  return z
    .record(key, value)
    .refine((m) => Object.keys(m).length <= max, {
      error: (iss) =>
        `has ${Object.keys(iss.input as object).length} entries; shoppe supports at most ${max} here`,
    })
    .meta({ maxProperties: max });
}

/** A version or SemVer range (`2026.1008.2`, `4.x`, `>=5.0.0`), as node-semver reads ranges. */
export const versionRange = line.refine((r) => semver.validRange(r) !== null, {
  error: (iss) =>
    `${quote(String(iss.input))} is neither a version nor a SemVer range (e.g. 1.2.3, 4.x, >=5.0.0 <6.0.0)`,
  abort: true,
});
