/**
 * The umbrella of an earlier git ref, for `--upgrade-from`: the ref's tree is exported into a
 * temporary directory with `git archive` (the user's repository and work tree are not touched,
 * not even its worktree list), then rendered there by this shoppe and its dependencies built
 * like `shoppe chart deps` (from the same mirror; the action passes both in). Everything happens
 * before any cluster exists, so a ref that cannot be rendered is refused with nothing created.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Context } from "../../context.js";
import { CommandError, InputError, InterruptedError, ShoppeError } from "../../errors.js";
import { readTar } from "../../helm/tar-gz.js";
import { openUmbrella, profileValues, selectProfiles } from "../../helm/umbrella.js";
import { silentProgress } from "../../log.js";
import type { ChartToInstall } from "./release.js";

/** The old umbrella, ready to install. */
export interface UpgradeSource {
  ref: string;
  commit: string;
  chart: ChartToInstall;
  chartVersion: string;
  remove(): Promise<void>;
}

/** The commit `ref` names in the project's repository; InputError when it names none. */
export async function resolveRef(ctx: Context, ref: string): Promise<string> {
  try {
    const { stdout } = await ctx.runner.run("git", [
      "-C",
      ctx.root,
      "rev-parse",
      "--verify",
      "--quiet",
      "--end-of-options",
      `${ref}^{commit}`,
    ]);
    return stdout.trim();
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    throw new InputError(
      `failed to use --upgrade-from ${ref}: it names no commit of the project's git repository (${ctx.root})`,
    );
  }
}

/** Exports the tree of `commit`, has `build` render it and build its dependencies. */
export async function prepareUpgradeSource(
  ctx: Context,
  o: { ref: string; commit: string; profile: string },
  build: (project: Context) => Promise<void>,
): Promise<UpgradeSource> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shoppe-e2e-from-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const tar = path.join(dir, "tree.tar");
    await ctx.runner.run("git", ["-C", ctx.root, "archive", "--format=tar", "-o", tar, o.commit]);
    const root = path.join(dir, "project");
    for (const [name, body] of readTar(await readFile(tar))) {
      const file = path.join(root, name);
      if (!file.startsWith(`${root}${path.sep}`)) continue;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, body);
    }
    await rm(tar);
    const old: Context = { ...ctx, root, progress: silentProgress };
    const failed = (why: string) =>
      new InputError(
        `failed to prepare the umbrella of --upgrade-from ${o.ref} (${o.commit.slice(0, 12)}): ${why}`,
      );
    try {
      await build(old);
    } catch (err) {
      if (err instanceof InterruptedError || !(err instanceof ShoppeError)) throw err;
      throw failed(err.message);
    }
    const u = await openUmbrella(old);
    const [profile] = (() => {
      try {
        return selectProfiles(u, o.profile);
      } catch (err) {
        throw failed(err instanceof Error ? err.message : String(err));
      }
    })();
    return {
      ref: o.ref,
      commit: o.commit,
      chart: { chartDir: u.chartDir, valuesFiles: profile ? profileValues(profile) : [] },
      chartVersion: u.version,
      remove,
    };
  } catch (err) {
    await remove();
    throw err;
  }
}
