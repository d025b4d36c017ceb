/**
 * What changed between two stack manifests, purely: components added, removed, upgraded or
 * downgraded (with the SemVer level of each step), images, Kubernetes versions, and any other
 * change of what the umbrella installs (values, wiring, profiles). The release level and the
 * next version follow from it (next-version.ts).
 */
import { isDeepStrictEqual } from "node:util";
import semver from "semver";
import { isLocalChart, type Stack, type StackComponent } from "../manifest/schema.js";

/** A SemVer level, largest first. */
export type Level = "major" | "minor" | "patch";

/** The levels from largest to smallest. */
export const LEVELS: readonly Level[] = ["major", "minor", "patch"];

/** One image pin that changed. */
export interface ImageChange {
  name: string;
  kind: "added" | "removed" | "changed";
  from?: string;
  to?: string;
}

/** What happened to one component. */
export interface ComponentChange {
  id: string;
  displayName: string;
  kind: "added" | "removed" | "upgraded" | "downgraded" | "changed";
  /** The SemVer level this change gives the release. */
  level: Level;
  /** The chart's step, when its version or chart changed. */
  chart?: { name: string; from?: string; to?: string; step?: Level };
  appVersion?: { from?: string; to?: string };
  images: ImageChange[];
  /** Other changes of the component: values, wiring, default switch. */
  settings: string[];
  /** GitHub owner/repo of the upstream project (the new pin's, or the old one's if removed). */
  github: string;
  /** Path of the chart in that repository, when known. */
  chartPath?: string;
  /** A first-party chart's directory in this project (its history is this repository's). */
  localPath?: string;
}

/** Every change between two manifests. */
export interface StackDiff {
  components: ComponentChange[];
  /**
   * Kubernetes versions by minor release (what a facility runs): a minor added or dropped, or
   * the tested patch of a minor that stays; `supported` is the new list.
   */
  kubernetes: {
    added: string[];
    dropped: string[];
    updated: { from: string; to: string }[];
    supported: string[];
  };
  /** Changes outside the components: profiles, release metadata. */
  other: { what: string; level: Level }[];
}

/** The SemVer level of the step from `from` to `to` (pre-release steps count as patch). */
export function stepLevel(from: string, to: string): Level | undefined {
  const d = semver.diff(from, to);
  if (d === null) return undefined;
  if (d === "major" || d === "premajor") return "major";
  if (d === "minor" || d === "preminor") return "minor";
  return "patch";
}

/** The larger of two levels. */
export function maxLevel(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (!a) return b;
  if (!b) return a;
  return LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b;
}

function imageChanges(from: StackComponent, to: StackComponent): ImageChange[] {
  const ref = (i: { repository: string; tag: string }) => `${i.repository}:${i.tag}`;
  const before = new Map(from.images.map((i) => [i.name, ref(i)]));
  const after = new Map(to.images.map((i) => [i.name, ref(i)]));
  const out: ImageChange[] = [];
  for (const [name, r] of after) {
    const old = before.get(name);
    if (old === undefined) out.push({ name, kind: "added", to: r });
    else if (old !== r) out.push({ name, kind: "changed", from: old, to: r });
  }
  for (const [name, r] of before)
    if (!after.has(name)) out.push({ name, kind: "removed", from: r });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The component's fields other than chart, appVersion and images that changed. */
function settingChanges(from: StackComponent, to: StackComponent): string[] {
  const keys = ["values", "endpoints", "consumes", "endpointEnv", "dependsOn", "updates"] as const;
  const out: string[] = keys.filter((k) => !isDeepStrictEqual(from[k], to[k]));
  if (from.enabled !== to.enabled)
    out.unshift(to.enabled ? "enabled by default" : "disabled by default");
  return out;
}

function base(id: string, c: StackComponent) {
  return {
    id,
    displayName: c.displayName,
    github: c.source.github,
    ...(c.source.chartPath ? { chartPath: c.source.chartPath } : {}),
    ...(c.chart && isLocalChart(c.chart) ? { localPath: c.chart.path } : {}),
  };
}

function changedComponent(id: string, from: StackComponent, to: StackComponent) {
  const images = imageChanges(from, to);
  const settings = settingChanges(from, to);
  const chartFrom = from.chart;
  const chartTo = to.chart;
  let kind: ComponentChange["kind"] = "changed";
  let level: Level | undefined;
  let chart: ComponentChange["chart"];
  if (chartFrom && chartTo && chartFrom.name === chartTo.name) {
    if (chartFrom.version !== chartTo.version) {
      const step = stepLevel(chartFrom.version, chartTo.version);
      const down = semver.lt(chartTo.version, chartFrom.version);
      kind = down ? "downgraded" : "upgraded";
      // A downgrade across a minor or major takes features away: breaking for a facility.
      level = down ? (step === "patch" ? "patch" : "major") : step;
      chart = {
        name: chartTo.name,
        from: chartFrom.version,
        to: chartTo.version,
        ...(step ? { step } : {}),
      };
    }
  } else if (chartFrom?.name !== chartTo?.name) {
    level = "major"; // another chart altogether: its values and objects differ
    chart = {
      name: chartTo?.name ?? chartFrom?.name ?? id,
      ...(chartFrom ? { from: `${chartFrom.name} ${chartFrom.version}` } : {}),
      ...(chartTo ? { to: `${chartTo.name} ${chartTo.version}` } : {}),
    };
  }
  const appVersion =
    from.appVersion !== to.appVersion ? { from: from.appVersion, to: to.appVersion } : undefined;
  if (settings.includes("disabled by default")) level = "major";
  else if (settings.includes("enabled by default")) level = maxLevel(level, "minor");
  if (images.length > 0 || settings.length > 0 || appVersion) level = maxLevel(level, "patch");
  if (!level) return undefined;
  return {
    ...base(id, to),
    kind,
    level,
    ...(chart ? { chart } : {}),
    ...(appVersion ? { appVersion } : {}),
    images,
    settings,
  } satisfies ComponentChange;
}

/** Every change from `from` (the last release) to `to` (now). */
export function diffStacks(from: Stack, to: Stack): StackDiff {
  const components: ComponentChange[] = [];
  for (const [id, c] of Object.entries(to.components)) {
    const old = from.components[id];
    if (!old) {
      components.push({
        ...base(id, c),
        kind: "added",
        level: "minor",
        ...(c.chart ? { chart: { name: c.chart.name, to: c.chart.version } } : {}),
        appVersion: { to: c.appVersion },
        images: c.images.map((i) => ({
          name: i.name,
          kind: "added",
          to: `${i.repository}:${i.tag}`,
        })),
        settings: [],
      });
      continue;
    }
    const changed = changedComponent(id, old, c);
    if (changed) components.push(changed);
  }
  for (const [id, c] of Object.entries(from.components)) {
    if (to.components[id]) continue;
    components.push({
      ...base(id, c),
      kind: "removed",
      level: "major",
      ...(c.chart ? { chart: { name: c.chart.name, from: c.chart.version } } : {}),
      appVersion: { from: c.appVersion },
      images: [],
      settings: [],
    });
  }
  const kube = (s: Stack) => s.kubernetes.versions.map((v) => v.version);
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  const [before, after] = [kube(from), kube(to)];
  const byMinor = new Map(before.map((v) => [minor(v), v]));
  const afterMinors = new Set(after.map(minor));
  const other: StackDiff["other"] = [];
  for (const name of new Set([...Object.keys(from.profiles), ...Object.keys(to.profiles)])) {
    if (!isDeepStrictEqual(from.profiles[name], to.profiles[name])) {
      const what = !from.profiles[name] ? "added" : !to.profiles[name] ? "removed" : "changed";
      other.push({
        what: `profile ${name} ${what}`,
        level: what === "removed" ? "major" : what === "added" ? "minor" : "patch",
      });
    }
  }
  const { version: _a, ...metaFrom } = from.release;
  const { version: _b, ...metaTo } = to.release;
  if (!isDeepStrictEqual(metaFrom, metaTo))
    other.push({ what: "release metadata changed", level: "patch" });
  return {
    components: components.sort((a, b) => a.id.localeCompare(b.id)),
    kubernetes: {
      added: after.filter((v) => !byMinor.has(minor(v))),
      dropped: before.filter((v) => !afterMinors.has(minor(v))),
      updated: after.flatMap((v) => {
        const old = byMinor.get(minor(v));
        return old && old !== v ? [{ from: old, to: v }] : [];
      }),
      supported: after,
    },
    other,
  };
}
