/**
 * The chart in the Helm repository GitHub Pages serves: the `gh-pages` branch of the git
 * remote, whose `index.yaml` lists every release with its digest and points at the release
 * asset (GitHub serves the archive; the branch holds only the index). Done in a worktree of
 * the real repository: fetch the branch (or start it), `helm repo index --merge` the new
 * archive into it, commit, push. An entry of this version with another digest is refused.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { CheckFailedError } from "../../errors.js";
import type { Git } from "../../tools/git.js";
import type { Helm } from "../../tools/helm.js";

/** Where the index lives. */
export interface PagesTarget {
  git: Git;
  helm: Helm;
  remote: string;
  branch: string;
  /** A scratch directory for the worktree. */
  workDir: string;
}

/** The chart to list. */
export interface IndexedChart {
  name: string;
  version: string;
  archive: string;
  sha256: string;
  /** Where the archive is downloaded from (the release asset's folder). */
  baseUrl: string;
}

type IndexDoc = {
  entries?: Record<string, { version?: string; digest?: string; urls?: string[] }[]>;
};

/** The entry of `name` `version` in index text, if any. */
export function indexEntry(text: string, name: string, version: string) {
  const doc = (parse(text) ?? {}) as IndexDoc;
  return doc.entries?.[name]?.find((e) => String(e.version) === version);
}

/** The remote branch's commit, or undefined when the branch does not exist yet. */
async function remoteBranch(t: PagesTarget): Promise<string | undefined> {
  const refs = await t.git.lsRemote(t.remote, [`refs/heads/${t.branch}`]);
  return refs.get(`refs/heads/${t.branch}`);
}

/** The index on the remote branch, fetched (empty when the branch is new). */
async function fetchIndex(t: PagesTarget): Promise<{ base?: string; text: string }> {
  const head = await remoteBranch(t);
  if (!head) return { text: "" };
  await t.git.run(["fetch", "--quiet", t.remote, `+refs/heads/${t.branch}:refs/shoppe/pages`]);
  return {
    base: "refs/shoppe/pages",
    text: (await t.git.show("refs/shoppe/pages", "index.yaml")) ?? "",
  };
}

/** Checks the remote index: the entry's state, refusing one with another digest. */
export async function indexedAlready(t: PagesTarget, c: IndexedChart): Promise<string | undefined> {
  const { text } = await fetchIndex(t);
  const e = text ? indexEntry(text, c.name, c.version) : undefined;
  if (!e) return undefined;
  if (e.digest !== c.sha256) {
    throw new CheckFailedError(
      `failed to add ${c.name} ${c.version} to the ${t.branch} index: it already lists ${c.version} with digest ${e.digest}, this package has ${c.sha256}; a published entry is never replaced`,
    );
  }
  return `${t.branch}/index.yaml lists ${c.name} ${c.version} (${(e.urls ?? [])[0] ?? "no url"})`;
}

/** Adds the chart to the index on the branch and pushes it. */
export async function addToIndex(t: PagesTarget, c: IndexedChart): Promise<string> {
  const { base } = await fetchIndex(t);
  const tree = path.join(t.workDir, "pages");
  await t.git.run(["worktree", "remove", "--force", tree]).catch(() => undefined);
  await rm(tree, { recursive: true, force: true });
  const start = base ?? (await orphanCommit(t.git, t.branch));
  await t.git.run(["worktree", "add", "--detach", "--quiet", tree, start]);
  const scratch = await mkdtemp(path.join(t.workDir, "index-"));
  try {
    await copyFile(c.archive, path.join(scratch, path.basename(c.archive)));
    const current = path.join(tree, "index.yaml");
    const has = await readFile(current).then(
      () => true,
      () => false,
    );
    await t.helm.repoIndex(scratch, c.baseUrl, has ? current : undefined);
    await mkdir(tree, { recursive: true });
    await copyFile(path.join(scratch, "index.yaml"), current);
    const pages = t.git.at(tree);
    await pages.run(["add", "index.yaml"]);
    await pages.run([
      "commit",
      "--quiet",
      "-m",
      `Add ${c.name} ${c.version} to the Helm repository index`,
    ]);
    await pages.run(["push", "--quiet", t.remote, `HEAD:refs/heads/${t.branch}`]);
    return `pushed ${t.branch}/index.yaml with ${c.name} ${c.version}`;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await t.git.run(["worktree", "remove", "--force", tree]).catch(() => undefined);
  }
}

/** The first commit of a new branch: an empty tree, no parent. */
async function orphanCommit(git: Git, branch: string): Promise<string> {
  const empty = (await git.run(["mktree"], { input: "" })).trim();
  const msg = `Start ${branch}: the Helm repository index`;
  return (await git.run(["commit-tree", empty, "-m", msg])).trim();
}
