/**
 * Which results count for a release. A run counts only when it tested this release's chart
 * (name and version) built from this very stack.yaml (its sha256) on one of the release's
 * Kubernetes versions; every other run is set aside with the reason, so a badge or a matrix
 * never borrows a result from another release or another manifest.
 */
import type { RunFile } from "./runs.js";

/** What a release is, as its results must match it. */
export interface ReleaseIdentity {
  /** The umbrella chart's name (stack.yaml `release.name`). */
  name: string;
  version: string;
  /** `sha256:<hex>` of the stack.yaml the release was built from. */
  digest: string;
  /** The Kubernetes versions of its stack.yaml, in its order. */
  kubernetes: string[];
}

/** A results file left out, and why. */
export interface IgnoredRun {
  file: string;
  why: string;
}

/** The runs that count and those that do not. */
export interface Partition {
  counted: RunFile[];
  ignored: IgnoredRun[];
}

const short = (digest: string) => digest.slice(0, 19);

/** Why `run` does not count for `release`, or undefined when it does. */
export function whyNotCounted(run: RunFile, release: ReleaseIdentity): string | undefined {
  const r = run.results;
  if (r.chart.name !== release.name) {
    return `it tested the chart ${r.chart.name}, not ${release.name}`;
  }
  if (r.chart.version !== release.version) {
    return `it tested ${r.chart.name} ${r.chart.version}, another release than ${release.version}`;
  }
  if (r.stack.digest !== release.digest) {
    return `its stack.yaml (${short(r.stack.digest)}…) is not this release's (${short(release.digest)}…): the manifest changed since it ran`;
  }
  if (!release.kubernetes.includes(r.kubernetes.version)) {
    return `Kubernetes ${r.kubernetes.version} is not a version of this release's stack.yaml (${release.kubernetes.join(", ")})`;
  }
  return undefined;
}

/** Splits `runs` into those that count for `release` and those that do not. */
export function partitionRuns(runs: readonly RunFile[], release: ReleaseIdentity): Partition {
  const out: Partition = { counted: [], ignored: [] };
  for (const run of runs) {
    const why = whyNotCounted(run, release);
    if (why) out.ignored.push({ file: run.file, why });
    else out.counted.push(run);
  }
  return out;
}
