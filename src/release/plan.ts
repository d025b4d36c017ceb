/**
 * The release plan, purely: the last release (its version and manifest), the current
 * manifest and the versions already tagged → every change, the level it calls for, and the
 * next version. Without a previous release the first one is stack.yaml's version as written.
 */
import semver from "semver";
import { UsageError } from "../errors.js";
import type { Stack } from "../manifest/schema.js";
import { releaseTag } from "./history.js";
import { type LevelReason, levelReasons, nextVersion, releaseLevel } from "./next-version.js";
import { diffStacks, type Level, type StackDiff } from "./stack-diff.js";

/** The release being planned. */
export interface ReleasePlan {
  /** The last final release, when there is one. */
  previous?: { tag: string; version: string; commit: string };
  /** stack.yaml's release.version now. */
  manifestVersion: string;
  diff: StackDiff;
  /** Every change with its level, largest first. */
  reasons: LevelReason[];
  /** The level of the release; undefined when nothing changed. */
  level?: Level;
  /** The proposed (or requested) version; undefined when there is nothing to release. */
  version?: string;
  tag?: string;
  /** Why `version` is what it is. */
  because: string;
}

/** What the plan starts from. */
export interface PlanInput {
  previous?: { tag: string; version: string; commit: string; stack: Stack };
  current: Stack;
  /** Every version tagged already (pre-releases included). */
  tagged: readonly string[];
  /** Pre-release identifier, e.g. `rc`. */
  pre?: string;
  /** A version asked for instead of the proposed one. */
  version?: string;
}

const EMPTY_DIFF = (s: Stack): StackDiff => ({
  components: [],
  kubernetes: {
    added: [],
    dropped: [],
    updated: [],
    supported: s.kubernetes.versions.map((v) => v.version),
  },
  other: [],
});

/** Checks a `--pre` identifier: SemVer's alphanumerics, not only digits. */
export function checkPre(pre: string | undefined): void {
  if (pre !== undefined && !/^(?!\d+$)[0-9A-Za-z-]+$/.test(pre)) {
    throw new UsageError(`--pre expects a pre-release name such as rc or beta, got "${pre}"`);
  }
}

function requested(v: string, input: PlanInput): string {
  if (semver.valid(v) !== v || v.includes("+")) {
    throw new UsageError(`--version expects a SemVer version without build metadata, got "${v}"`);
  }
  const prev = input.previous?.version;
  if (prev && !semver.gt(v, prev)) {
    throw new UsageError(`--version ${v} is not after the last release ${prev}`);
  }
  return v;
}

/** Plans the next release. */
export function planRelease(input: PlanInput): ReleasePlan {
  checkPre(input.pre);
  const manifestVersion = input.current.release.version;
  const prev = input.previous;
  const diff = prev ? diffStacks(prev.stack, input.current) : EMPTY_DIFF(input.current);
  const reasons = prev ? levelReasons(diff) : [];
  const level = prev ? releaseLevel(diff) : undefined;
  const base = prev
    ? { previous: { tag: prev.tag, version: prev.version, commit: prev.commit } }
    : {};
  let version: string | undefined;
  let because: string;
  if (input.version) {
    version = requested(input.version, input);
    because = `asked for with --version${level ? ` (the changes call for a ${level} release)` : ""}`;
  } else if (!prev) {
    version = input.pre ? nextPre(manifestVersion, input) : manifestVersion;
    because = `the first release: stack.yaml's release.version${input.pre ? ` as a ${input.pre} pre-release` : ""}`;
  } else if (!level) {
    because = `nothing changed since ${prev.tag}`;
  } else {
    version = nextVersion(prev.version, level, input.pre, input.tagged);
    because = `a ${level} release after ${prev.version}: ${reasons
      .filter((r) => r.level === level)
      .map((r) => r.why)
      .join("; ")}`;
  }
  return {
    ...base,
    manifestVersion,
    diff,
    reasons,
    ...(level ? { level } : {}),
    ...(version ? { version, tag: releaseTag(version) } : {}),
    because,
  };
}

/** `version` as the next `pre` pre-release of itself. */
function nextPre(version: string, input: PlanInput): string {
  const final = `${semver.major(version)}.${semver.minor(version)}.${semver.patch(version)}`;
  const prefix = `${final}-${input.pre}.`;
  const taken = input.tagged
    .filter((v) => v.startsWith(prefix))
    .map((v) => Number(v.slice(prefix.length)));
  return `${prefix}${Math.max(0, ...taken.filter(Number.isInteger)) + 1}`;
}
