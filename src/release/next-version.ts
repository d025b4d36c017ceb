/**
 * The release level a set of changes calls for, and the next release version, purely.
 * Major: a component takes a major step (or steps back across a minor), is removed or is
 * disabled by default, a profile is removed, or a Kubernetes minor is dropped. Minor: a
 * minor step, an added component, profile or Kubernetes minor. Patch: anything else that
 * changes what the chart installs. Release tags are `v<version>` (tags.ts).
 */
import semver from "semver";
import { type Level, maxLevel, type StackDiff } from "./stack-diff.js";

/** One reason for the level, as a line for people. */
export interface LevelReason {
  level: Level;
  why: string;
}

/** Every change with the level it asks for, largest first. */
export function levelReasons(diff: StackDiff): LevelReason[] {
  const out: LevelReason[] = [];
  for (const c of diff.components) {
    const step = c.chart?.from && c.chart.to ? ` ${c.chart.from} → ${c.chart.to}` : "";
    const what =
      c.kind === "upgraded" || c.kind === "downgraded"
        ? `${c.id} ${c.kind} a ${c.chart?.step ?? "chart"} step${step}`
        : c.kind === "changed"
          ? `${c.id} changed (${[
              ...(c.chart ? [`chart${step}`] : []),
              ...(c.appVersion ? ["appVersion"] : []),
              ...(c.images.length ? [`${c.images.length} image(s)`] : []),
              ...c.settings,
            ].join(", ")})`
          : `${c.id} ${c.kind}`;
    out.push({ level: c.level, why: what });
  }
  for (const v of diff.kubernetes.dropped)
    out.push({ level: "major", why: `Kubernetes ${v} dropped` });
  for (const v of diff.kubernetes.added) out.push({ level: "minor", why: `Kubernetes ${v} added` });
  for (const u of diff.kubernetes.updated)
    out.push({ level: "patch", why: `Kubernetes ${u.from} tested as ${u.to}` });
  for (const o of diff.other) out.push({ level: o.level, why: o.what });
  const rank = { major: 0, minor: 1, patch: 2 };
  return out.sort((a, b) => rank[a.level] - rank[b.level]);
}

/** The level of the whole release; undefined when nothing changed. */
export function releaseLevel(diff: StackDiff): Level | undefined {
  return levelReasons(diff).reduce<Level | undefined>((l, r) => maxLevel(l, r.level), undefined);
}

/**
 * The next version after `last` (the last final release) at `level`; with `pre` (e.g. `rc`),
 * the next pre-release of that version after the ones in `taken` (`0.2.0-rc.1` → `-rc.2`).
 */
export function nextVersion(
  last: string,
  level: Level,
  pre?: string,
  taken: readonly string[] = [],
): string {
  const target = semver.inc(last, level);
  if (!target) throw new Error(`not a SemVer version: ${last}`);
  if (!pre) return target;
  const prefix = `${target}-${pre}.`;
  const numbers = taken
    .filter((v) => v.startsWith(prefix))
    .map((v) => Number(v.slice(prefix.length)))
    .filter((n) => Number.isInteger(n));
  return `${prefix}${Math.max(0, ...numbers) + 1}`;
}
