/**
 * `shoppe badge`: the compatibility badges of the release in the work tree, from e2e results
 * (docs/badges.md). Only runs of this release's chart version and of this very stack.yaml
 * count; the others are listed with the reason. Writes the SVGs, the shields.io endpoint
 * JSON files and badges.json into a directory under the ownership rule.
 */
import path from "node:path";
import { type BadgeRecord, badgeFiles } from "../compat/badges.js";
import type { IgnoredRun, ReleaseIdentity } from "../compat/counting.js";
import { evaluateRelease } from "../compat/evaluate.js";
import { currentRelease } from "../compat/releases.js";
import { readRuns } from "../compat/runs.js";
import type { Context } from "../context.js";
import type { DirOwner } from "../fsx/owned-dir.js";
import { writeOwnedDir } from "../fsx/owned-write.js";

/** The marker of a badges directory. */
export const BADGE_OWNER: DirOwner = {
  marker: ".shoppe-badge.json",
  generator: "shoppe badge",
  preserved: [],
};

/** Options of `shoppe badge`. */
export interface BadgeOptions {
  /** stack.yaml, relative to the root. */
  file: string;
  /** Results files, or directories searched for results.json. */
  results: string[];
  /** The output directory. */
  out: string;
}

/** What `shoppe badge` wrote. */
export interface BadgeResult {
  out: string;
  release: ReleaseIdentity;
  badges: BadgeRecord[];
  counted: string[];
  ignored: IgnoredRun[];
}

/** Writes the badges of the work tree's release from `options.results`. */
export async function badge(ctx: Context, options: BadgeOptions): Promise<BadgeResult> {
  const current = await currentRelease(ctx.root, options.file);
  const runs = await readRuns(ctx.root, options.results);
  const report = evaluateRelease(current.identity, current.components, runs);
  for (const i of report.ignored) ctx.logger.warn(`ignored ${i.file}: ${i.why}`);
  const { files, file } = badgeFiles(report);
  await writeOwnedDir(
    path.resolve(ctx.root, options.out),
    BADGE_OWNER,
    {
      root: ctx.root,
      shown: options.out,
      verb: "write the badges into",
      hint: `name a new or empty directory, or one shoppe badge wrote (it holds ${BADGE_OWNER.marker})`,
    },
    files,
    "badge",
  );
  return { out: options.out, ...file };
}
