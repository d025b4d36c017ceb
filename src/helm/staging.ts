/**
 * Work on a copy of a chart and keep the result only on success. Helm writes `charts/` and
 * `Chart.lock` in place and leaves a half-filled directory behind when a download fails; here
 * helm works in a sibling copy (a sibling, so `file://../<chart>` dependencies still resolve)
 * and the named entries are swapped in by rename only when it succeeded. The copy is named
 * like every scratch directory (src/fsx/scratch.ts), so a run that was killed is cleaned up by
 * the next one.
 */
import { cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { deadScratch, scratchPath } from "../fsx/scratch.js";

/** The scratch kind of a staged copy: `.<chart>.staging-<pid>-<hex>`. */
const STAGING = "staging";

/** Where swapIn keeps an entry it replaces until every move succeeded, inside the copy. */
const BACKUP = ".previous-";

async function present(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies `chartDir` to a sibling scratch directory, runs `work` on it, and on success moves
 * `entries` (e.g. `charts`, `Chart.lock`) from the copy into `chartDir`. On failure, or when
 * `signal` aborts before the swap, nothing in `chartDir` changes. The copy is always removed.
 */
export async function withStagedChart<T>(
  chartDir: string,
  entries: readonly string[],
  work: (stagedDir: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  await reapStaged(chartDir, entries);
  const staged = scratchPath(chartDir, STAGING);
  try {
    await mkdir(staged);
    const filter = () => {
      signal?.throwIfAborted();
      return true;
    };
    await cp(chartDir, staged, { recursive: true, preserveTimestamps: true, filter });
    const result = await work(staged);
    // The last point to stop: the swap below puts back what it moved if it fails, not if it stops.
    signal?.throwIfAborted();
    await swapIn(chartDir, staged, entries);
    return result;
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/**
 * Removes the staged copies of runs that were killed. One killed in the middle of its swap
 * holds the chart's previous entries as `.previous-<entry>`: each is moved back when the chart
 * lacks that entry, so the chart is as before that run.
 */
async function reapStaged(chartDir: string, entries: readonly string[]): Promise<void> {
  const parent = path.dirname(chartDir);
  for (const { name } of deadScratch(chartDir, await readdir(parent), [STAGING])) {
    const dead = path.join(parent, name);
    for (const entry of entries) {
      const backup = path.join(dead, `${BACKUP}${entry}`);
      const to = path.join(chartDir, entry);
      if ((await present(backup)) && !(await present(to))) await rename(backup, to);
    }
    await rm(dead, { recursive: true, force: true });
  }
}

/** Moves each entry of `staged` into `target`, keeping the old one until all moves succeeded. */
async function swapIn(target: string, staged: string, entries: readonly string[]): Promise<void> {
  const moved: { entry: string; backup: string | undefined }[] = [];
  try {
    for (const entry of entries) {
      const from = path.join(staged, entry);
      const to = path.join(target, entry);
      if (!(await present(from))) continue;
      let backup: string | undefined;
      if (await present(to)) {
        backup = path.join(staged, `${BACKUP}${entry}`);
        await rename(to, backup);
      }
      moved.push({ entry, backup });
      await rename(from, to);
    }
  } catch (err) {
    // Put back what was there, newest move first, then report the original failure.
    for (const { entry, backup } of moved.reverse()) {
      const to = path.join(target, entry);
      await rm(to, { recursive: true, force: true });
      if (backup) await rename(backup, to);
    }
    throw err;
  }
}
