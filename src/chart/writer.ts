/**
 * Reads a chart directory, diffs it against a fresh render, and writes a render atomically:
 * every file, and the render marker listing them, goes into a temporary directory next to the
 * target, which then replaces the target by rename. A failure or an interrupt before the rename
 * leaves the previous chart untouched and removes the temporary directory. Dependency build
 * output (Chart.lock, charts/, .shoppe-deps.json) belongs to `shoppe chart deps`, so it is
 * carried over and never compared. Whether the target may be replaced at all is decided before,
 * by the ownership rule (src/fsx/owned-dir.ts, RENDER_OWNER).
 */
import * as nodeFs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { InputError, InterruptedError, ShoppeError } from "../errors.js";
import { makeDirs } from "../fsx/make-dirs.js";
import { type DirOwner, markerText } from "../fsx/owned-dir.js";
import { deadScratch, scratchPath } from "../fsx/scratch.js";
import { readInputTree } from "../io/read-tree.js";

/**
 * The diff library, required on the first difference: an up-to-date `render --check` (the
 * common case in CI) never loads it. It ships CommonJS, so a synchronous require works.
 */
function unifiedDiff(): typeof import("diff") {
  return createRequire(import.meta.url)("diff") as typeof import("diff");
}

/** The file operations the writer needs; tests hand in one that fails on demand. */
export interface ChartFs {
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  writeFile(file: string, data: string): Promise<void>;
  readFile(file: string, encoding: "utf8"): Promise<string>;
  readdir(
    dir: string,
    options: { withFileTypes: true },
  ): Promise<{ name: string; isDirectory(): boolean }[]>;
  rename(from: string, to: string): Promise<void>;
  rm(target: string, options: { recursive: true; force: true }): Promise<void>;
  cp(
    from: string,
    to: string,
    options: { recursive: true; filter?: (source: string) => boolean },
  ): Promise<void>;
}

/** The real file system. */
export const nodeChartFs: ChartFs = nodeFs as unknown as ChartFs;

/** Entries of a chart directory that a render keeps and never compares (chart deps' output). */
export const PRESERVED_ENTRIES = ["Chart.lock", "charts", ".shoppe-deps.json"];

/** `shoppe render` as the owner of the chart directories it writes. */
export const RENDER_OWNER: DirOwner = {
  marker: ".shoppe-render.json",
  generator: "shoppe render",
  preserved: PRESERVED_ENTRIES,
};

/** How one file differs between the chart on disk and a fresh render. */
export interface FileChange {
  path: string;
  change: "added" | "modified" | "removed";
}

/**
 * Reads every file of a chart directory (except preserved entries); undefined if missing.
 * Through the bounded reader: a FIFO, socket, device or outward link in it is an InputError
 * naming it (`shown` names the directory), never a hang.
 */
export async function readChartDir(
  dir: string,
  shown = dir,
): Promise<Record<string, string> | undefined> {
  const files = await readInputTree(dir, { shown, skip: PRESERVED_ENTRIES });
  if (!files) return undefined;
  return Object.fromEntries([...files].map(([rel, bytes]) => [rel, bytes.toString("utf8")]));
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The changes from `current` (on disk) to `next` (a fresh render), and a unified diff. */
export function diffCharts(
  current: Record<string, string> | undefined,
  next: Record<string, string>,
): { changes: FileChange[]; patch: string } {
  const before = current ?? {};
  const paths = [...new Set([...Object.keys(before), ...Object.keys(next)])].sort(byPath);
  const changes: FileChange[] = [];
  const patches: string[] = [];
  for (const p of paths) {
    const a = before[p];
    const b = next[p];
    if (a === b) continue;
    const change = a === undefined ? "added" : b === undefined ? "removed" : "modified";
    changes.push({ path: p, change });
    patches.push(
      unifiedDiff()
        .createTwoFilesPatch(
          a === undefined ? "/dev/null" : `a/${p}`,
          b === undefined ? "/dev/null" : `b/${p}`,
          a ?? "",
          b ?? "",
          undefined,
          undefined,
          { context: 3 },
        )
        .replace(/^=+\n/, ""),
    );
  }
  return { changes, patch: patches.join("") };
}

/** Writes `files` and their marker as the whole chart at `dir`, atomically (see the module comment). */
export async function writeChartAtomically(
  dir: string,
  files: Record<string, string>,
  o: { fs?: ChartFs; signal?: AbortSignal } = {},
): Promise<void> {
  const fs = o.fs ?? nodeChartFs;
  const staging = scratchPath(dir, "render");
  const previous = scratchPath(dir, "previous");
  const marked = { ...files, [RENDER_OWNER.marker]: markerText(RENDER_OWNER, Object.keys(files)) };
  try {
    // Not fs.mkdir: Node's recursive mkdir spins for ever on a parent such as /proc.
    await makeDirs(staging);
    for (const [rel, content] of Object.entries(marked)) {
      o.signal?.throwIfAborted();
      const file = path.join(staging, rel);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
    const existed = await carryOver(dir, staging, fs, o.signal);
    // The last point to stop: once the old chart is moved aside, the swap runs to its end.
    o.signal?.throwIfAborted();
    if (existed) await fs.rename(dir, previous);
    try {
      await fs.rename(staging, dir);
    } catch (err) {
      if (existed) await fs.rename(previous, dir);
      throw err;
    }
    if (existed) await fs.rm(previous, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (o.signal?.aborted) {
      throw InterruptedError.of(
        o.signal,
        (received) =>
          `failed to write chart ${dir}: interrupted (${received}); the previous chart is unchanged`,
      );
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new ShoppeError(`failed to write chart ${dir}: ${why}; the previous chart is unchanged`, {
      cause: err,
    });
  }
}

/**
 * Repairs what a render killed mid-write left behind: a run killed between its two renames
 * leaves the chart (with its marker, so it is still render's) only as `.<chart>.previous-*`,
 * which is moved back; staging directories of dead runs are removed. Directories of live runs
 * are left alone.
 */
export async function recoverInterruptedWrite(
  dir: string,
  fs: ChartFs = nodeChartFs,
): Promise<void> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  let names: string[];
  try {
    names = (await fs.readdir(parent, { withFileTypes: true })).map((e) => e.name);
  } catch (err) {
    // No parent directory, no leftovers; whether the chart may go there is decided later.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw new InputError(`failed to read ${parent}: ${(err as Error).message}`, [], { cause: err });
  }
  for (const { name, kind } of deadScratch(dir, names, ["render", "previous"])) {
    const full = path.join(parent, name);
    if (kind === "previous" && !names.includes(base)) {
      await fs.rename(full, dir);
      names.push(base);
    } else {
      await fs.rm(full, { recursive: true, force: true });
    }
  }
}

/** Copies preserved entries of the current chart into the staging directory; false if no chart. */
async function carryOver(
  dir: string,
  staging: string,
  fs: ChartFs,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  // charts/ can hold many archives: stop between files, not only after the whole copy.
  const filter = () => {
    signal?.throwIfAborted();
    return true;
  };
  for (const name of names.filter((n) => PRESERVED_ENTRIES.includes(n))) {
    await fs.cp(path.join(dir, name), path.join(staging, name), { recursive: true, filter });
  }
  return true;
}
