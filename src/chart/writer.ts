/**
 * Reads a chart directory, diffs it against a fresh render, and writes a render atomically:
 * every file goes into a temporary directory next to the target, which then replaces the
 * target by rename. A failure before the rename leaves the previous chart untouched and
 * removes the temporary directory. Dependency build output (Chart.lock, charts/) belongs to
 * `shoppe chart deps`, so it is carried over and never compared.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { ShoppeError } from "../errors.js";

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
  cp(from: string, to: string, options: { recursive: true }): Promise<void>;
}

/** The real file system. */
export const nodeChartFs: ChartFs = nodeFs as unknown as ChartFs;

/** Entries of a chart directory that a render keeps and never compares. */
export const PRESERVED_ENTRIES = ["Chart.lock", "charts"];

/** How one file differs between the chart on disk and a fresh render. */
export interface FileChange {
  path: string;
  change: "added" | "modified" | "removed";
}

/** Reads every file of a chart directory (except preserved entries); undefined if missing. */
export async function readChartDir(
  dir: string,
  fs: ChartFs = nodeChartFs,
): Promise<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && PRESERVED_ENTRIES.includes(e.name)) continue;
      if (e.isDirectory()) await walk(relPath);
      else out[relPath] = await fs.readFile(path.join(dir, relPath), "utf8");
    }
  };
  try {
    await walk("");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return out;
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
      createTwoFilesPatch(
        a === undefined ? "/dev/null" : `a/${p}`,
        b === undefined ? "/dev/null" : `b/${p}`,
        a ?? "",
        b ?? "",
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ""),
    );
  }
  return { changes, patch: patches.join("") };
}

/** Writes `files` as the whole chart at `dir`, atomically (see the module comment). */
export async function writeChartAtomically(
  dir: string,
  files: Record<string, string>,
  fs: ChartFs = nodeChartFs,
): Promise<void> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = path.join(parent, `.${base}.render-${suffix}`);
  const previous = path.join(parent, `.${base}.previous-${suffix}`);
  try {
    await fs.mkdir(staging, { recursive: true });
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(staging, rel);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
    const existed = await carryOver(dir, staging, fs);
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
    const why = err instanceof Error ? err.message : String(err);
    throw new ShoppeError(`failed to write chart ${dir}: ${why}; the previous chart is unchanged`, {
      cause: err,
    });
  }
}

/** True when the process that owns a staging name (`.<chart>.<kind>-<pid>-<hex>`) is gone. */
function ownerGone(name: string): boolean {
  const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Repairs what a render killed mid-write left behind: a run killed between its two renames
 * leaves the chart only as `.<chart>.previous-*`, which is moved back; staging directories of
 * dead runs are removed. Directories of live runs are left alone.
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
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const leftovers = names.filter(
    (n) => (n.startsWith(`.${base}.render-`) || n.startsWith(`.${base}.previous-`)) && ownerGone(n),
  );
  for (const name of leftovers) {
    const full = path.join(parent, name);
    if (name.startsWith(`.${base}.previous-`) && !names.includes(base)) {
      await fs.rename(full, dir);
      names.push(base);
    } else {
      await fs.rm(full, { recursive: true, force: true });
    }
  }
}

/** Copies preserved entries of the current chart into the staging directory; false if no chart. */
async function carryOver(dir: string, staging: string, fs: ChartFs): Promise<boolean> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  for (const name of names.filter((n) => PRESERVED_ENTRIES.includes(n))) {
    await fs.cp(path.join(dir, name), path.join(staging, name), { recursive: true });
  }
  return true;
}
