/**
 * Work on a copy of a chart and keep the result only on success. Helm writes `charts/` and
 * `Chart.lock` in place and leaves a half-filled directory behind when a download fails; here
 * helm works in a sibling copy (a sibling, so `file://../<chart>` dependencies still resolve)
 * and the named entries are swapped in by rename only when it succeeded.
 */
import { cp, mkdtemp, rename, rm, stat } from "node:fs/promises";
import path from "node:path";

async function present(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies `chartDir` to a sibling temp directory, runs `work` on it, and on success moves
 * `entries` (e.g. `charts`, `Chart.lock`) from the copy into `chartDir`. On failure nothing in
 * `chartDir` changes. The copy is always removed.
 */
export async function withStagedChart<T>(
  chartDir: string,
  entries: readonly string[],
  work: (stagedDir: string) => Promise<T>,
): Promise<T> {
  const staged = await mkdtemp(
    path.join(path.dirname(chartDir), `.${path.basename(chartDir)}.staging-`),
  );
  try {
    await cp(chartDir, staged, { recursive: true, preserveTimestamps: true });
    const result = await work(staged);
    await swapIn(chartDir, staged, entries);
    return result;
  } finally {
    await rm(staged, { recursive: true, force: true });
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
        backup = path.join(staged, `.previous-${entry}`);
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
