/**
 * The badges of a release: one for the whole stack and one per component, each as an SVG
 * drawn by badge-maker (the library shields.io renders its own badges with) and as a
 * shields.io endpoint JSON, plus `badges.json`, the record of what every badge stands on:
 * per Kubernetes version the state, the tier, the reasons, the stand-ins and the runs.
 */
import { makeBadge } from "badge-maker";
import type { IgnoredRun, ReleaseIdentity } from "./counting.js";
import type { ReleaseReport, RowReport } from "./evaluate.js";
import type { State, TierKey } from "./outcome.js";
import { badgeMessage, type EndpointJson, endpointJson, STATE_COLORS } from "./wording.js";

/** One badge and where its files are, relative to the output directory. */
export interface BadgeRecord {
  id: string;
  kind: "stack" | "component";
  label: string;
  message: string;
  color: string;
  state: State;
  tier?: TierKey;
  svg: string;
  endpoint: string;
  versions: {
    version: string;
    state: State;
    tier?: TierKey;
    reasons: string[];
    standIns: string[];
    runs: string[];
  }[];
}

/** What `badges.json` holds. */
export interface BadgesFile {
  release: ReleaseIdentity;
  badges: BadgeRecord[];
  counted: string[];
  ignored: IgnoredRun[];
}

function record(report: ReleaseReport, row: RowReport): BadgeRecord {
  const stack = row.kind === "stack";
  const label = stack ? `${row.id} ${report.release.version}` : row.displayName;
  const stem = stack ? row.id : `components/${row.id}`;
  return {
    id: row.id,
    kind: stack ? "stack" : "component",
    label,
    message: badgeMessage(report.release.kubernetes, row.overall),
    color: STATE_COLORS[row.overall.state],
    state: row.overall.state,
    ...(row.overall.tier ? { tier: row.overall.tier } : {}),
    svg: `${stem}.svg`,
    endpoint: `${stem}.json`,
    versions: row.cells.map(({ version, verdict: v }) => ({
      version,
      state: v.state,
      ...(v.tier ? { tier: v.tier } : {}),
      reasons: v.reasons,
      standIns: v.standIns,
      runs: v.byTier.map((o) => o.run.file),
    })),
  };
}

/** Every badge's files (path → contents) and the record of them. */
export function badgeFiles(report: ReleaseReport): {
  files: Map<string, string>;
  file: BadgesFile;
} {
  const badges = report.rows.filter((r) => r.kind !== "integration").map((r) => record(report, r));
  const files = new Map<string, string>();
  for (const b of badges) {
    files.set(b.svg, `${makeBadge({ label: b.label, message: b.message, color: b.color })}\n`);
    const endpoint: EndpointJson = endpointJson(b.label, b.message, b.state);
    files.set(b.endpoint, `${JSON.stringify(endpoint, null, 2)}\n`);
  }
  const file: BadgesFile = {
    release: report.release,
    badges,
    counted: report.counted.map((r) => r.file),
    ignored: report.ignored,
  };
  files.set("badges.json", `${JSON.stringify(file, null, 2)}\n`);
  return { files, file };
}
