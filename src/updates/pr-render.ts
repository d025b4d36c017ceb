/**
 * The files one bump changes, for its own pull request: the edited stack.yaml rendered by the
 * real `render` action in a throwaway copy of the project (its charts/ and the manifest), and
 * every file of the umbrella chart that the render changed, added or removed. The working tree
 * is never touched, so each component's pull request holds only its own change.
 */
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { render } from "../actions/render.js";
import { readChartDir } from "../chart/writer.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { silentProgress } from "../log.js";
import type { CommitFile } from "./github-pr.js";

const toPosix = (p: string) => p.split(path.sep).join("/");

/** A file of the pull request and what happened to it. */
export interface ChangedFile extends CommitFile {
  change: "added" | "modified" | "removed";
}

/** The changed files (paths relative to the project root) of rendering `text` as `file`. */
export async function renderedChanges(
  ctx: Context,
  file: string,
  text: string,
): Promise<ChangedFile[]> {
  const rel = path.relative(ctx.root, path.resolve(ctx.root, file));
  if (rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new UsageError(`bump --pr commits files of the project: ${file} is outside ${ctx.root}`);
  }
  const copy = await mkdtemp(path.join(os.tmpdir(), "shoppe-bump-"));
  try {
    const stackDir = path.dirname(path.resolve(ctx.root, file));
    for (const dir of new Set([ctx.root, stackDir])) {
      const charts = path.join(dir, "charts");
      if (!(await stat(charts).catch(() => undefined))?.isDirectory()) continue;
      await cp(charts, path.join(copy, path.relative(ctx.root, charts)), { recursive: true });
    }
    const target = path.join(copy, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    const r = await render({ ...ctx, root: copy, progress: silentProgress }, { file: rel });
    const chartRel = path.relative(copy, r.chartDir);
    const before = (await readChartDir(path.join(ctx.root, chartRel), chartRel)) ?? {};
    const after = (await readChartDir(r.chartDir, chartRel)) ?? {};
    const out: ChangedFile[] = [{ path: toPosix(rel), content: text, change: "modified" }];
    for (const p of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const [a, b] = [before[p], after[p]];
      if (a === b) continue;
      const change = a === undefined ? "added" : b === undefined ? "removed" : "modified";
      out.push({ path: toPosix(path.join(chartRel, p)), content: b ?? null, change });
    }
    return out;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
