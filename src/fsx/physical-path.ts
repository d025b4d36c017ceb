/**
 * The physical spelling of a path: every symbolic link in it resolved, as far as it exists
 * (a directory still to be created keeps its missing tail as written). Paths compared or made
 * relative to each other in their physical spelling give the same answer however the user
 * spelled them (through a link to the project, say).
 */
import { realpath } from "node:fs/promises";
import path from "node:path";

/** `p` (absolute) with its longest existing prefix resolved by realpath. */
export async function physicalPath(p: string): Promise<string> {
  const tail: string[] = [];
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...tail);
    } catch {
      // Missing, unreadable or a link loop: resolve what is above it; the caller's own checks
      // name the problem when it matters.
      if (at === path.dirname(at)) return path.resolve(p);
      tail.unshift(path.basename(at));
    }
  }
}
