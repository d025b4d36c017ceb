/**
 * Which git tag of an upstream repository stands for a pinned version, purely. Projects tag
 * differently: Coffea-Casa tags its app version (`2026.08.12.2`), ServiceX and Triton prefix a
 * `v`, chart monorepos tag `<chart>-<version>` (chart-releaser). The first naming under which
 * the new pin's tag exists is used for both pins, so a compare link never mixes two schemes.
 */
import type { ComponentChange } from "../stack-diff.js";

/** A tag naming scheme and the tags it gives both pins. */
export interface TagPair {
  scheme: string;
  from?: string;
  to: string;
}

/** The candidate tag pairs of a change, most specific first. */
export function tagCandidates(c: ComponentChange): TagPair[] {
  const out: TagPair[] = [];
  const add = (scheme: string, from: string | undefined, to: string | undefined) => {
    if (to && !out.some((p) => p.to === to)) out.push({ scheme, ...(from ? { from } : {}), to });
  };
  const app = c.appVersion;
  const chart = c.chart;
  add("{appVersion}", app?.from, app?.to);
  add("v{appVersion}", app?.from && `v${app.from}`, app?.to && `v${app.to}`);
  if (chart?.to && !chart.to.includes(" ")) {
    const name = chart.name;
    add("{chart}-{version}", chart.from && `${name}-${chart.from}`, `${name}-${chart.to}`);
    add("v{version}", chart.from && `v${chart.from}`, `v${chart.to}`);
    add("{version}", chart.from, chart.to);
  }
  return out;
}

/** The numbers of a tag (`mlflow-1.11.5` → [1, 11, 5]), for ordering tags of one scheme. */
function numbers(tag: string): number[] {
  return (tag.match(/\d+/g) ?? []).map(Number);
}

/** Compares two tags of one scheme by their numbers. */
export function compareTags(a: string, b: string): number {
  const [x, y] = [numbers(a), numbers(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The text before a tag's first digit: `mlflow-` of `mlflow-1.11.5`, `v` of `v1.5.3`. */
export function tagPrefix(tag: string): string {
  return /^[^\d]*/.exec(tag)?.[0] ?? "";
}

/** Whether `tag` lies after `from` (exclusive) and up to `to` (inclusive), in their scheme. */
export function inRange(tag: string, from: string | undefined, to: string): boolean {
  if (tagPrefix(tag) !== tagPrefix(to)) return false;
  if (compareTags(tag, to) > 0) return false;
  return from === undefined || compareTags(tag, from) > 0;
}
