/**
 * The runs a matrix shows are published beside it, so every link of the page resolves
 * wherever the directory is served: `runs/<release>/<kubernetes>-<provider>-<run id>/` holds
 * the run's `results.json` and, when the run wrote them beside it, `summary.md`, `junit.xml`
 * and its diagnostics bundle. The next matrix reads `runs/` back as the history.
 */
import { lstat } from "node:fs/promises";
import path from "node:path";
import type { FileBody } from "../fsx/owned-write.js";
import type { RunLinks } from "./matrix-model.js";
import { isPlainName } from "./outcome.js";
import { RESULTS_FILE, type RunFile } from "./runs.js";

/** What publishing the runs adds to the matrix directory. */
export interface PublishedRuns {
  files: Map<string, FileBody>;
  /** A run's links by the absolute path of its results file. */
  links: Map<string, RunLinks>;
}

const SIBLINGS = ["summary.md", "junit.xml"] as const;

/**
 * A regular file itself, not a link: the page is published, so a link beside a run (to a key,
 * a log elsewhere) must never have its target copied out with it.
 */
async function isFile(p: string): Promise<boolean> {
  return (await lstat(p).catch(() => undefined))?.isFile() ?? false;
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, "-").replace(/^[-.]+/, "") || "run";

/** Lays out `runs` (each counted for a release) under `runs/`. */
export async function publishRuns(runs: readonly RunFile[]): Promise<PublishedRuns> {
  const files = new Map<string, FileBody>();
  const links = new Map<string, RunLinks>();
  const sorted = [...runs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const run of sorted) {
    const r = run.results;
    const stem = `runs/${safe(r.chart.version)}/${safe(`${r.kubernetes.version}-${r.provider.name}-${r.runId}`)}`;
    let dir = stem;
    for (let n = 2; files.has(`${dir}/${RESULTS_FILE}`); n++) dir = `${stem}-${n}`;
    const src = path.dirname(run.path);
    files.set(`${dir}/${RESULTS_FILE}`, { copyFrom: run.path });
    const l: RunLinks = { results: `${dir}/${RESULTS_FILE}` };
    for (const name of SIBLINGS) {
      if (!(await isFile(path.join(src, name)))) continue;
      files.set(`${dir}/${name}`, { copyFrom: path.join(src, name) });
      if (name === "summary.md") l.summary = `${dir}/${name}`;
    }
    if (r.bundle && isPlainName(r.bundle) && (await isFile(path.join(src, r.bundle)))) {
      files.set(`${dir}/${r.bundle}`, { copyFrom: path.join(src, r.bundle) });
      l.bundle = `${dir}/${r.bundle}`;
    }
    links.set(run.path, l);
  }
  return { files, links };
}
