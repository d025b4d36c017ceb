/**
 * Whether a dependency archive carries its own dependencies. Helm checks only the umbrella's
 * direct dependencies; a sub-chart whose Chart.yaml names a chart missing from its `charts/`
 * renders without it, silently. Here every dependency a chart declares must be bundled,
 * recursively, unless its `condition` turns it off under every profile (the way helm evaluates
 * it: the sub-chart's defaults overlaid with what its parents set for it). MLflow, for example,
 * declares optional PostgreSQL, MySQL and MinIO sub-charts it does not bundle, all off by default.
 * `tags` are not evaluated: a tagged dependency without a deciding condition must be bundled.
 */

import type { ChartNode, DeclaredDependency } from "./chart-archive.js";
import { mergeValues } from "./profile-values.js";

type Values = Record<string, unknown>;

/** A declared dependency that is enabled but not bundled. */
export interface MissingSubchart {
  /** The chart that declares it, as a path from the component's chart: `a 1.0 → b 2.0`. */
  chart: string;
  dependency: string;
  version: string;
}

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function at(values: Values, dotted: string): unknown {
  let cur: unknown = values;
  for (const k of dotted.split(".")) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Helm's rule: the first condition path that resolves to a boolean decides; else enabled. */
function enabled(d: DeclaredDependency, values: Values): boolean {
  for (const c of (d.condition ?? "").split(",").map((s) => s.trim())) {
    const v = c ? at(values, c) : undefined;
    if (typeof v === "boolean") return v;
  }
  return true;
}

/** Whether any chart of the tree declares a dependency it does not bundle (no values needed). */
export function declaresUnbundled(node: ChartNode): boolean {
  return node.dependencies.some((d) => {
    const sub = node.subcharts.find((s) => s.name === d.name);
    return !sub || declaresUnbundled(sub);
  });
}

function walk(node: ChartNode, overlays: Values[], trail: string, out: MissingSubchart[]): void {
  // Values are parsed only on the way to an unbundled dependency, whose condition needs them.
  if (!declaresUnbundled(node)) return;
  const here = trail ? `${trail} → ${node.name} ${node.version}` : `${node.name} ${node.version}`;
  const effective = overlays.map((o) => mergeValues(node.values(), o));
  for (const d of node.dependencies) {
    const sub = node.subcharts.find((s) => s.name === d.name);
    if (!sub) {
      if (effective.some((v) => enabled(d, v))) {
        out.push({ chart: here, dependency: d.name, version: d.version });
      }
      continue;
    }
    // Only where the sub-chart is on does helm load it, and with it its own dependencies.
    const key = d.alias ?? d.name;
    const childOverlays = effective
      .filter((v) => enabled(d, v))
      .map((v) => (isMap(v[key]) ? (v[key] as Values) : {}));
    if (childOverlays.length > 0) walk(sub, childOverlays, here, out);
  }
}

/**
 * The dependencies `chart` (a component's archive) declares, at any depth, that are enabled
 * under at least one of `overlays` (the values the umbrella sets for the component, one per
 * profile) but missing from the `charts/` that should bundle them.
 */
export function missingSubcharts(chart: ChartNode, overlays: Values[]): MissingSubchart[] {
  const out: MissingSubchart[] = [];
  const list = overlays.length > 0 ? overlays : [{}];
  walk(chart, list, "", out);
  return out;
}
