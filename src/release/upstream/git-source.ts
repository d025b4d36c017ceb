/**
 * An upstream project's git history from a mirror: mirror.yaml's `git:` entries map a
 * repository URL (`https://github.com/CoffeaTeam/coffea-casa`) to a folder or a git bundle
 * inside the mirror. It is cloned bare once into `.shoppe/cache/git/` (keyed by the source's
 * path, size and time, so a changed mirror is cloned again) and read with the real git.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../../context.js";
import type { Mirror } from "../../mirror/mirror-file.js";
import { type Git, openGit } from "../../tools/git.js";

/** Where cloned upstream histories are kept, relative to the project root. */
export const GIT_CACHE_DIR = path.join(".shoppe", "cache", "git");

/** `https://github.com/Owner/Repo(.git)(/)` → `owner/repo`, or undefined for other hosts. */
export function githubName(url: string): string | undefined {
  const m = /^https?:\/\/github\.com\/([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url);
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

/** The mirror's git source for GitHub repository `owner/name`, as an absolute path. */
export function mirroredGit(mirror: Mirror | undefined, github: string): string | undefined {
  const entry = mirror?.git.find((g) => githubName(g.url) === github.toLowerCase());
  return entry ? path.resolve(mirror?.dir ?? "", entry.path) : undefined;
}

/** A bare clone of `source` (a repository or a bundle) in the project's cache. */
export async function cloneCached(ctx: Context, source: string): Promise<Git> {
  const st = await stat(source);
  const key = createHash("sha256")
    .update(`${source}\0${st.size}\0${st.mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(ctx.root, GIT_CACHE_DIR, `${path.basename(source)}-${key}`);
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(path.dirname(dir), { recursive: true });
    const partial = `${dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await ctx.runner.run("git", ["clone", "--quiet", "--bare", source, partial], {
      env: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" },
    });
    // Published by one rename: concurrent runs never read a half-made clone.
    await rename(partial, dir).catch(async (err) => {
      await rm(partial, { recursive: true, force: true });
      const won = await stat(dir).then(
        () => true,
        () => false,
      );
      if (!won) throw err;
    });
  }
  return openGit(ctx.runner, dir);
}
