/**
 * Writes a whole generated directory under the ownership rule (owned-dir.ts): the target must
 * be missing, empty or carry the owner's marker with nothing else in it; the new contents are
 * written into a scratch directory beside it, with a marker listing every file, and swapped
 * in by renames. A killed run leaves the old directory whole; its scratch is reaped by the
 * next run.
 */
import { copyFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ShoppeError } from "../errors.js";
import { makeDirs } from "./make-dirs.js";
import { claimOwnedDir, type DirOwner, markerText, type OwnedDirUse } from "./owned-dir.js";
import { deadScratch, scratchPath } from "./scratch.js";

/** A file's contents, or a file to copy them from. */
export type FileBody = string | Buffer | { copyFrom: string };

/** Replaces `dir` by exactly `files` (relative paths with `/`) and the marker. */
export async function writeOwnedDir(
  dir: string,
  owner: DirOwner,
  use: OwnedDirUse,
  files: ReadonlyMap<string, FileBody>,
  kind: string,
): Promise<void> {
  const found = await claimOwnedDir(dir, owner, use);
  const parent = path.dirname(dir);
  const staged = scratchPath(dir, kind);
  try {
    await makeDirs(parent);
    for (const { name } of deadScratch(dir, await readdir(parent), [kind, "previous"])) {
      await rm(path.join(parent, name), { recursive: true, force: true });
    }
    await mkdir(staged);
  } catch (err) {
    throw writeFailure(err, use);
  }
  try {
    for (const [rel, body] of files) {
      const target = path.join(staged, ...rel.split("/"));
      await mkdir(path.dirname(target), { recursive: true });
      if (typeof body === "object" && "copyFrom" in body) await copyFile(body.copyFrom, target);
      else await writeFile(target, body);
    }
    await writeFile(path.join(staged, owner.marker), markerText(owner, files.keys()));
    await swapIn(dir, staged, found.state !== "missing");
  } catch (err) {
    throw writeFailure(err, use);
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/**
 * A file-system failure while writing a directory the user named (a parent that cannot hold
 * it, such as /proc; a full disk), as one line naming the directory; errors that already say
 * so pass through.
 */
export function writeFailure(err: unknown, use: Pick<OwnedDirUse, "verb" | "shown">): Error {
  if (err instanceof ShoppeError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ShoppeError(`failed to ${use.verb} ${use.shown}: ${why}`, { cause: err });
}

/** Puts `staged` in place of `dir` by renames, restoring the old one if the swap fails. */
async function swapIn(dir: string, staged: string, existed: boolean): Promise<void> {
  if (!existed) {
    await rename(staged, dir);
    return;
  }
  const previous = scratchPath(dir, "previous");
  await rename(dir, previous);
  try {
    await rename(staged, dir);
  } catch (err) {
    await rename(previous, dir);
    throw err;
  }
  await rm(previous, { recursive: true, force: true });
}
