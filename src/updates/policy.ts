/**
 * The update policy, purely: of the versions a chart's source offers, which are newer than the
 * pin at each level (patch: same major.minor; minor: same major; major: a higher major), after
 * the ignore list and the pre-release switch, and which one the policy wants. Versions are
 * compared as SemVer, so Coffea-Casa's CalVer-as-SemVer charts order by date (2026.1008.3 >
 * 2026.929.2) and z2jh's dev builds (4.0.0-0.dev.git.…) are pre-releases.
 */
import semver from "semver";
import { SEMVER } from "../manifest/formats.js";
import type { UpdatePolicyOf } from "../manifest/schema.js";

/** A step size: how far an update may go. */
export type Level = "patch" | "minor" | "major";

/** The policy, as stack.yaml's `updates` holds it after defaults. */
export type UpdatePolicy = UpdatePolicyOf;

/** The default policy (what a component without `updates` gets). */
export const DEFAULT_POLICY: UpdatePolicy = { track: "minor", ignore: [], prereleases: false };

/** The newest newer version at each level, and the one the policy wants. */
export interface Offer {
  patch?: string;
  minor?: string;
  major?: string;
  /** The newest of the levels the policy tracks; absent when up to date under it. */
  wanted?: string;
  /** Versions the source lists that are not SemVer a pin could take (`v0.4`, `0.1`), skipped. */
  skipped: string[];
}

const LEVELS: readonly Level[] = ["patch", "minor", "major"];

/** Whether `version` is excluded by one of `ignore` (exact versions or ranges). */
export function isIgnored(version: string, ignore: readonly string[]): boolean {
  return ignore.some(
    (r) => r === version || semver.satisfies(version, r, { includePrerelease: true }),
  );
}

/** The level of the step from `from` to the newer `to`. */
export function levelOf(from: semver.SemVer, to: semver.SemVer): Level {
  if (to.major !== from.major) return "major";
  if (to.minor !== from.minor) return "minor";
  return "patch";
}

/** Levels up to and including `track`. */
export function levelsUpTo(track: Level): Level[] {
  return LEVELS.slice(0, LEVELS.indexOf(track) + 1);
}

/** What `available` offers over `current` under `policy`. */
export function offer(current: string, available: Iterable<string>, policy: UpdatePolicy): Offer {
  const cur = semver.parse(current);
  const out: Offer = { skipped: [] };
  if (!cur) return out;
  const best: Partial<Record<Level, semver.SemVer>> = {};
  for (const raw of available) {
    const v = SEMVER.pattern.test(raw) ? semver.parse(raw) : null;
    if (!v) {
      out.skipped.push(raw);
      continue;
    }
    if (semver.compare(v, cur) <= 0) continue;
    if (v.prerelease.length > 0 && !policy.prereleases) continue;
    if (isIgnored(raw, policy.ignore)) continue;
    const level = levelOf(cur, v);
    const known = best[level];
    if (!known || semver.compare(v, known) > 0) best[level] = v;
  }
  for (const level of LEVELS) {
    const v = best[level];
    if (v) out[level] = v.raw;
  }
  const wanted = levelsUpTo(policy.track)
    .reverse()
    .map((l) => out[l])
    .find((v) => v !== undefined);
  if (wanted) out.wanted = wanted;
  return out;
}
