/**
 * What `chart deps` checks in the staged chart after helm filled charts/: every archive there
 * bundles its own enabled dependencies (src/helm/bundled-deps.ts), and each is recorded with its
 * origin and sha256 (src/helm/deps-record.ts). A failure names the component and the missing
 * sub-chart; the staged copy is then discarded, so the chart directory stays as it was.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import { readInputFile } from "../io/read-input.js";
import { declaresUnbundled, type MissingSubchart, missingSubcharts } from "./bundled-deps.js";
import { type ChartNode, readChartArchive } from "./chart-archive.js";
import type { DepsRecordEntry } from "./deps-record.js";
import { profileValuesOf } from "./profile-values.js";
import { selectProfiles, type Umbrella } from "./umbrella.js";

/** Where a component's archive came from, as chart deps knows it. */
export type DependencyOrigin = Pick<
  DepsRecordEntry,
  "source" | "repository" | "mirrorFolder" | "substitute"
>;

type Values = Record<string, unknown>;

/** The largest dependency archive read back from charts/. */
const ARCHIVE_LIMIT = 256 * 1024 * 1024;

/** The values the umbrella gives `component`, one per profile. */
async function overlaysOf(u: Umbrella, component: string): Promise<Values[]> {
  const out: Values[] = [];
  for (const p of selectProfiles(u)) {
    const v = (await profileValuesOf(u, p))[component];
    out.push(v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Values) : {});
  }
  return out;
}

function describeOrigin(o: DependencyOrigin | undefined): string {
  if (!o) return "";
  return o.source === "mirror"
    ? ` from the mirror folder ${o.mirrorFolder}`
    : ` from ${o.repository}`;
}

/**
 * Checks and records the archives in `<stagedDir>/charts`; throws an InputError listing every
 * archive whose own dependencies are missing. `origins` maps component → origin.
 */
export async function inspectBuiltDependencies(
  u: Umbrella,
  stagedDir: string,
  origins: ReadonlyMap<string, DependencyOrigin>,
): Promise<DepsRecordEntry[]> {
  const dir = path.join(stagedDir, "charts");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".tgz")).sort();
  const entries: DepsRecordEntry[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const bytes = await readInputFile(path.join(dir, file), { maxBytes: ARCHIVE_LIMIT });
    let tree: ChartNode;
    try {
      tree = await readChartArchive(bytes);
    } catch (err) {
      throw new InputError(
        `failed to build the dependencies of ${u.chartShown}: helm placed charts/${file}, which is not a readable chart archive (${(err as Error).message}); ${u.chartShown} is unchanged`,
      );
    }
    const dep = u.dependencies.find((d) => d.name === tree.name && d.version === tree.version);
    if (!dep) continue;
    const origin = origins.get(dep.component);
    const missing: MissingSubchart[] = declaresUnbundled(tree)
      ? missingSubcharts(tree, await overlaysOf(u, dep.component))
      : [];
    for (const m of missing) {
      problems.push(
        `component "${dep.component}" (chart ${tree.name} ${tree.version}${describeOrigin(origin)}): ${m.chart} declares ${m.dependency} ${m.version}, which its archive does not bundle`,
      );
    }
    entries.push({
      component: dep.component,
      chart: tree.name,
      version: tree.version,
      source: origin?.source ?? "repository",
      repository: origin?.repository ?? dep.repository,
      ...(origin?.mirrorFolder !== undefined ? { mirrorFolder: origin.mirrorFolder } : {}),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      ...(origin?.substitute !== undefined ? { substitute: origin.substitute } : {}),
    });
  }
  if (problems.length > 0) {
    throw new InputError(
      `failed to build the dependencies of ${u.chartShown}: ${problems.length === 1 ? "a chart's own dependencies cannot be resolved" : `${problems.length} charts' own dependencies cannot be resolved`}:\n  - ${problems.join("\n  - ")}\nuse an archive that bundles its dependencies (helm dependency build before helm package), or turn the sub-chart off with its condition; ${u.chartShown} is unchanged`,
    );
  }
  const order = u.dependencies.map((d) => d.component);
  return entries.sort((a, b) => order.indexOf(a.component) - order.indexOf(b.component));
}
