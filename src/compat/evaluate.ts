/**
 * One release's compatibility, as the badges and the matrix show it: for the whole stack,
 * each component and the integration checks, a verdict per Kubernetes version of the release
 * (from the runs that count) and one over all of them.
 */
import { type IgnoredRun, partitionRuns, type ReleaseIdentity } from "./counting.js";
import {
  combine,
  componentOutcome,
  INTEGRATION,
  type Outcome,
  stackOutcome,
  type Verdict,
} from "./outcome.js";
import type { RunFile } from "./runs.js";
import { type Overall, overall } from "./wording.js";

/** A component as stack.yaml names it. */
export interface ComponentInfo {
  id: string;
  displayName: string;
  /** Enabled by default: only these make up the stack's verdict. */
  enabled: boolean;
}

/** One row: the stack, a component, or the integration checks. */
export interface RowReport {
  id: string;
  displayName: string;
  kind: "stack" | "component" | "integration";
  enabled: boolean;
  /** One verdict per Kubernetes version of the release, in stack.yaml's order. */
  cells: { version: string; verdict: Verdict }[];
  overall: Overall;
}

/** A release evaluated. */
export interface ReleaseReport {
  release: ReleaseIdentity;
  /** The stack first, then the components in stack.yaml's order, then integration. */
  rows: RowReport[];
  counted: RunFile[];
  ignored: IgnoredRun[];
}

function row(
  release: ReleaseIdentity,
  runs: readonly RunFile[],
  head: Omit<RowReport, "cells" | "overall">,
  outcome: (run: RunFile) => Outcome,
): RowReport {
  const cells = release.kubernetes.map((version) => ({
    version,
    verdict: combine(runs.filter((r) => r.results.kubernetes.version === version).map(outcome)),
  }));
  return { ...head, cells, overall: overall(cells) };
}

/** Evaluates `release` from `runs` (those that do not count are listed with why). */
export function evaluateRelease(
  release: ReleaseIdentity,
  components: readonly ComponentInfo[],
  runs: readonly RunFile[],
): ReleaseReport {
  const { counted, ignored } = partitionRuns(runs, release);
  const enabled = components.filter((c) => c.enabled).map((c) => c.id);
  const rows: RowReport[] = [
    row(
      release,
      counted,
      { id: release.name, displayName: release.name, kind: "stack", enabled: true },
      (run) => stackOutcome(run, enabled),
    ),
    ...components.map((c) =>
      row(release, counted, { ...c, kind: "component" }, (run) => componentOutcome(run, c.id)),
    ),
    row(
      release,
      counted,
      { id: INTEGRATION, displayName: "Integration", kind: "integration", enabled: true },
      (run) => componentOutcome(run, INTEGRATION),
    ),
  ];
  return { release, rows, counted, ignored };
}
