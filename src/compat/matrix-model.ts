/**
 * The compatibility matrix as data: per release (newest first), a row for the stack, each
 * component and the integration checks, a column per Kubernetes version of that release, and
 * in each cell the verdict, the tier it is stated at, and the latest run of every tier with
 * links to its published files. The Markdown and the HTML page are both drawn from it.
 */
import type { IgnoredRun } from "./counting.js";
import type { ReleaseReport } from "./evaluate.js";
import type { Outcome, State, TierKey, Verdict } from "./outcome.js";
import { minorOf, verdictPhrase } from "./wording.js";

/** Links of one published run, relative to the matrix directory. */
export interface RunLinks {
  results: string;
  summary?: string;
  bundle?: string;
}

/** One run as a cell lists it. */
export interface CellRun {
  tier: TierKey;
  state: State;
  provider: string;
  status: string;
  finishedAt: string;
  links: RunLinks;
}

/** One cell. */
export interface MatrixCell {
  version: string;
  state: State;
  tier?: TierKey;
  /** The verdict in words: `passing at cluster`, `failing at control-plane`, `untested`. */
  text: string;
  reasons: string[];
  standIns: string[];
  runs: CellRun[];
}

/** One row. */
export interface MatrixRow {
  id: string;
  displayName: string;
  kind: "stack" | "component" | "integration";
  enabled: boolean;
  cells: MatrixCell[];
  overall: { state: State; tier?: TierKey; text: string };
}

/** One release. */
export interface MatrixRelease {
  version: string;
  current: boolean;
  digest: string;
  kubernetes: string[];
  rows: MatrixRow[];
}

/** The whole matrix. */
export interface MatrixData {
  name: string;
  releases: MatrixRelease[];
  /** Every results file that counted for no release, with why. */
  ignored: IgnoredRun[];
}

/** A state and its tier in words. */
export function stateText(state: State, tier?: TierKey): string {
  if (state === "untested" || !tier) return state;
  return tier === "not-installed" ? `${state} (not installed)` : `${state} at ${tier}`;
}

function cellRun(o: Outcome, links: (path: string) => RunLinks): CellRun {
  return {
    tier: o.tier,
    state: o.state,
    provider: o.run.provider,
    status: o.run.status,
    finishedAt: o.run.finishedAt,
    links: links(o.run.path),
  };
}

function cell(version: string, v: Verdict, links: (path: string) => RunLinks): MatrixCell {
  return {
    version,
    state: v.state,
    ...(v.tier ? { tier: v.tier } : {}),
    text: stateText(v.state, v.tier),
    reasons: v.reasons,
    standIns: v.standIns,
    runs: v.byTier.map((o) => cellRun(o, links)),
  };
}

/** The matrix of `reports` (newest release first); `links` gives a run's published files. */
export function matrixData(
  name: string,
  reports: readonly (ReleaseReport & { current: boolean })[],
  ignored: readonly IgnoredRun[],
  links: (resultsPath: string) => RunLinks,
): MatrixData {
  return {
    name,
    releases: reports.map((r) => ({
      version: r.release.version,
      current: r.current,
      digest: r.release.digest,
      kubernetes: r.release.kubernetes,
      rows: r.rows.map((row) => ({
        id: row.id,
        displayName: row.displayName,
        kind: row.kind,
        enabled: row.enabled,
        cells: row.cells.map((c) => cell(c.version, c.verdict, links)),
        overall: {
          state: row.overall.state,
          ...(row.overall.tier ? { tier: row.overall.tier } : {}),
          text: verdictPhrase(row.overall),
        },
      })),
    })),
    ignored: [...ignored],
  };
}

/** Every Kubernetes minor of any release, newest first, with the full versions per release. */
export function historyColumns(data: MatrixData): string[] {
  const minors = new Set(data.releases.flatMap((r) => r.kubernetes.map(minorOf)));
  return [...minors].sort((a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]));
}
