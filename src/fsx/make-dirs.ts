/**
 * `mkdir -p` that always ends. Node's own recursive mkdir (20 and 22, sync and async) retries
 * for ever when a directory's parent exists but creating the directory still fails with
 * ENOENT: under /proc or /sys, or below a dangling symbolic link (mkdir child: ENOENT, mkdir
 * parent: EEXIST, again). An output path a user names must fail there, not spin, so every
 * directory the project creates on a path it was given goes through here: it walks up to the
 * nearest existing ancestor and creates each missing level once, and the first failure is the
 * error.
 */
import type { Stats } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

/** Creates `dir` and its missing parents; a directory already there is fine. */
export async function makeDirs(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const there = await statOrNothing(target);
  if (there) {
    if (there.isDirectory()) return;
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${target}'`), {
      code: "EEXIST",
      path: target,
    });
  }
  const missing = [target];
  for (let at = path.dirname(target); ; ) {
    if (await statOrNothing(at)) break;
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (err) {
      // Another process may have made it meanwhile; a dangling link also says EEXIST.
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && (await statOrNothing(level)))
        continue;
      throw err;
    }
  }
}

/** What is at `p`, following links; undefined for nothing (ENOENT, ENOTDIR). */
async function statOrNothing(p: string): Promise<Stats | undefined> {
  try {
    return await stat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}
