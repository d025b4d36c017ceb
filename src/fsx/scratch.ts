/**
 * Scratch directories next to a directory a command replaces or adds to: `.<dir>.<kind>-<pid>-<hex>`
 * in the same parent, so the final move is a rename on one file system. The process id in the
 * name lets a later run tell the leftovers of a killed run (the process is gone, so they are
 * removed or restored) from a run still working (left alone).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";

/** A fresh scratch path for `dir` of the given kind (e.g. "render", "staging"). */
export function scratchPath(dir: string, kind: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  return path.join(path.dirname(dir), `.${path.basename(dir)}.${kind}-${suffix}`);
}

/** The kind of a scratch name for `dir` (e.g. "render"), or undefined for any other name. */
function scratchKind(dir: string, name: string, kinds: readonly string[]): string | undefined {
  const prefix = `.${path.basename(dir)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const m = /^([a-z]+)-\d+-[0-9a-f]+$/.exec(name.slice(prefix.length));
  return m?.[1] && kinds.includes(m[1]) ? m[1] : undefined;
}

/** True when the process that made a scratch name is gone (never for this process). */
function scratchOwnerGone(name: string): boolean {
  const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Names among `names` (a listing of `dir`'s parent) left by dead runs, per kind. */
export function deadScratch(
  dir: string,
  names: readonly string[],
  kinds: readonly string[],
): { name: string; kind: string }[] {
  const out: { name: string; kind: string }[] = [];
  for (const name of names) {
    const kind = scratchKind(dir, name, kinds);
    if (kind && scratchOwnerGone(name)) out.push({ name, kind });
  }
  return out;
}
