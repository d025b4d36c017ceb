/**
 * Packages the released chart from the tag itself, reproducibly: a git worktree of the tag
 * (so the archive holds exactly what was tagged, whatever the work tree holds), `chart deps`
 * there (honouring a mirror), every file's time set to the tagged commit's (helm 4 writes
 * file times into the archive) and Chart.lock's `generated` likewise, then `chart package`,
 * which refuses substitutes. The same tag packages to the same bytes on any machine, so a
 * rerun elsewhere (CI after a local run) can check what was published against its own.
 */
import {
  lstat,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { chartDeps, chartPackage } from "../../actions/chart.js";
import type { Context } from "../../context.js";
import { sha256 } from "../../helm/deps.js";
import type { Git } from "../../tools/git.js";
import { TOOLS_BIN } from "../../tools/locate.js";

/** The packaged chart. */
export interface PackagedChart {
  file: string;
  sha256: string;
  bytes: number;
}

/** What packaging needs. */
export interface PackageJob {
  ctx: Context;
  git: Git;
  tag: string;
  /** Manifest path relative to the root. */
  file: string;
  /** Chart directory relative to the root. */
  chartPath: string;
  /** The archive to write. */
  archive: string;
  /** A mirror directory (relative to the project root or absolute). */
  mirror?: string;
  signal?: AbortSignal;
}

/** Beside the archive: the commit it was packaged from. */
const sourceFile = (archive: string) => `${archive}.commit`;

/**
 * The archive, when an earlier run packaged it from `commit` (the tag's): one packaged from a
 * tag since deleted and made again elsewhere is not this release's, and is packaged anew.
 */
export async function packaged(
  archive: string,
  commit: string | undefined,
): Promise<PackagedChart | undefined> {
  const st = await lstat(archive).catch(() => undefined);
  if (!st?.isFile() || !commit) return undefined;
  const from = await readFile(sourceFile(archive), "utf8").catch(() => "");
  if (from.trim() !== commit) return undefined;
  return { file: archive, sha256: await sha256(archive), bytes: st.size };
}

async function everyEntry(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...(await everyEntry(p)));
  }
  return out;
}

/** Stamps the chart with the commit's time: file times and Chart.lock's `generated`. */
async function stamp(chartDir: string, seconds: number): Promise<void> {
  const lock = path.join(chartDir, "Chart.lock");
  const text = await readFile(lock, "utf8").catch(() => undefined);
  if (text !== undefined) {
    const when = new Date(seconds * 1000).toISOString();
    await writeFile(lock, text.replace(/^generated: .*$/m, `generated: "${when}"`));
  }
  for (const p of [chartDir, ...(await everyEntry(chartDir))]) await utimes(p, seconds, seconds);
}

/** Packages the chart of `job.tag` into `job.archive`. */
export async function packageRelease(job: PackageJob): Promise<PackagedChart> {
  const { ctx, git } = job;
  const work = path.join(path.dirname(job.archive), "source");
  await git.run(["worktree", "remove", "--force", work]).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
  await git.run(["worktree", "prune"]);
  await git.run(["worktree", "add", "--detach", "--quiet", work, `refs/tags/${job.tag}`]);
  try {
    // The pinned tools of the project serve the worktree too (.tools is not in git).
    const tools = path.join(ctx.root, path.dirname(TOOLS_BIN));
    if (await stat(tools).catch(() => undefined))
      await symlink(tools, path.join(work, path.dirname(TOOLS_BIN)));
    const inTree: Context = { ...ctx, root: work };
    const mirror = job.mirror ? path.resolve(ctx.root, job.mirror) : undefined;
    await chartDeps(inTree, {
      file: job.file,
      ...(mirror ? { mirror } : {}),
      ...(job.signal ? { signal: job.signal } : {}),
    });
    await stamp(path.join(work, job.chartPath), await git.commitTime(`refs/tags/${job.tag}`));
    const r = await chartPackage(inTree, {
      file: job.file,
      destination: path.dirname(job.archive),
    });
    const built = path.resolve(work, r.file);
    if (built !== job.archive) await rename(built, job.archive);
    const commit = await git.resolve(`refs/tags/${job.tag}`);
    await writeFile(sourceFile(job.archive), `${commit}\n`);
    return { file: job.archive, sha256: r.sha256, bytes: r.bytes };
  } finally {
    await git.run(["worktree", "remove", "--force", work]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
