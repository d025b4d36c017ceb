/**
 * Charts bundled inside the components' charts (z2jh inside Coffea-Casa, Bitnami's inside
 * ServiceX), by name: helm names such a chart alone when its schema rejects a value, and the
 * value is set in stack.yaml under the component that embeds it, at the nested key path.
 */
import path from "node:path";
import { readInputFile } from "../io/read-input.js";
import { type ChartNode, readChartArchive } from "./chart-archive.js";
import type { Umbrella } from "./umbrella.js";

/** Where a nested chart's values live: the component, then the keys down to the chart. */
export interface NestedChart {
  component: string;
  /** Keys from the component's values block to the nested chart's, e.g. ["jupyterhub"]. */
  path: string[];
}

/** Archives beyond this size are not charts; they are not opened for messages. */
const MAX_ARCHIVE = 64 * 1024 * 1024;

function walk(node: ChartNode, at: NestedChart, out: Map<string, NestedChart>): void {
  for (const d of node.dependencies) {
    const sub = node.subcharts.find((s) => s.name === d.name);
    if (!sub) continue;
    const here = { component: at.component, path: [...at.path, d.alias ?? d.name] };
    // The first place a name is found wins: helm's message cannot tell two apart.
    if (!out.has(sub.name)) out.set(sub.name, here);
    walk(sub, here, out);
  }
}

/**
 * The nested charts of every built dependency (`charts/<name>-<version>.tgz`); empty where an
 * archive is missing or unreadable, since this only improves a message.
 */
export async function nestedCharts(u: Umbrella): Promise<Map<string, NestedChart>> {
  const out = new Map<string, NestedChart>();
  for (const d of u.dependencies) {
    const file = path.join(u.chartDir, "charts", `${d.name}-${d.version}.tgz`);
    try {
      const node = await readChartArchive(await readInputFile(file, { maxBytes: MAX_ARCHIVE }));
      walk(node, { component: d.component, path: [] }, out);
    } catch {
      // No archive (an unpacked dependency, or deps not built): nothing nested to name.
    }
  }
  return out;
}
