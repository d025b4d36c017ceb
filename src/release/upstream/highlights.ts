/**
 * What changed upstream between the two pins of each changed component, for the release
 * notes: the GitHub releases published between the two tags (through octokit), else the
 * commits between them (from a mirror's git history, or GitHub's compare API), trimmed
 * (trim.ts). A first-party chart's highlights are this project's own commits to its folder.
 * Nothing is invented: what cannot be read is said, with the links to read it upstream.
 */
import type { Context } from "../../context.js";
import { call, GitHubError, type OctokitClient } from "../../github/client.js";
import type { Mirror } from "../../mirror/mirror-file.js";
import type { Git } from "../../tools/git.js";
import type { ComponentChange } from "../stack-diff.js";
import { cloneCached, mirroredGit } from "./git-source.js";
import { inRange, type TagPair, tagCandidates } from "./tags.js";
import { DEFAULT_CAP, type Trimmed, trimCommits, trimReleaseBodies } from "./trim.js";

/** Highlights of one component. */
export interface ComponentHighlights {
  id: string;
  fromTag?: string;
  toTag?: string;
  /** The new pin's release page, or the project's releases when its tag is not known. */
  releaseUrl: string;
  /** GitHub's compare page between the two tags, when both are known. */
  compareUrl?: string;
  source: "github-releases" | "commits" | "project-commits" | "none";
  /** Where the items came from, or why there are none. */
  note: string;
  items: string[];
  more: number;
}

/** What highlights may read. */
export interface HighlightSources {
  ctx: Context;
  /** This project's repository and the last release's tag (first-party charts). */
  project?: { git: Git; from: string; to: string };
  mirror?: Mirror;
  /** Absent when offline. */
  github?: OctokitClient;
  cap?: number;
}

const WEB = "https://github.com";

function links(repo: string, pair: TagPair | undefined) {
  return {
    ...(pair?.from ? { fromTag: pair.from } : {}),
    ...(pair ? { toTag: pair.to } : {}),
    releaseUrl: pair ? `${WEB}/${repo}/releases/tag/${pair.to}` : `${WEB}/${repo}/releases`,
    ...(pair?.from ? { compareUrl: `${WEB}/${repo}/compare/${pair.from}...${pair.to}` } : {}),
  };
}

/** The first candidate pair whose new tag is in `has`, with the old tag only if it exists too. */
async function pick(c: ComponentChange, has: (tag: string) => Promise<boolean>) {
  for (const p of tagCandidates(c)) {
    if (!(await has(p.to))) continue;
    return p.from && (await has(p.from)) ? p : { scheme: p.scheme, to: p.to };
  }
  return undefined;
}

async function fromMirror(c: ComponentChange, s: HighlightSources, cap: number) {
  const source = mirroredGit(s.mirror, c.github);
  if (!source) return undefined;
  const git = await cloneCached(s.ctx, source);
  const tags = new Set(await git.tags());
  const pair = await pick(c, async (t) => tags.has(t));
  if (!pair?.from) return { pair, trimmed: undefined };
  const trimmed = trimCommits(await git.log(`refs/tags/${pair.from}`, `refs/tags/${pair.to}`), cap);
  return { pair, trimmed };
}

async function fromGitHub(c: ComponentChange, gh: OctokitClient, s: HighlightSources, cap: number) {
  const [owner = "", repo = ""] = c.github.split("/");
  const exists = async (tag: string) =>
    gh.rest.git.getRef({ owner, repo, ref: `tags/${tag}` }).then(
      () => true,
      (err: { status?: number }) => {
        if (err.status === 404) return false;
        throw err;
      },
    );
  const pair = await call("read tags", c.github, s.ctx.redactor, () => pick(c, exists));
  if (!pair) return { pair, trimmed: undefined, kind: "none" as const };
  const releases = await call("list releases", c.github, s.ctx.redactor, () =>
    gh.rest.repos.listReleases({ owner, repo, per_page: 100 }),
  );
  const bodies = releases.data
    .filter((r) => !r.draft && inRange(r.tag_name, pair.from, pair.to))
    .map((r) => r.body ?? "");
  const fromReleases = trimReleaseBodies(bodies, cap);
  if (fromReleases.items.length > 0)
    return { pair, trimmed: fromReleases, kind: "github-releases" as const };
  if (!pair.from) return { pair, trimmed: undefined, kind: "none" as const };
  const compare = await call("compare tags", c.github, s.ctx.redactor, () =>
    gh.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${pair.from}...${pair.to}`,
    }),
  );
  const commits = compare.data.commits
    .map((k) => ({
      sha: k.sha,
      author: k.author?.login ?? k.commit.author?.name ?? "",
      subject: k.commit.message.split("\n")[0] ?? "",
      parents: k.parents.length,
    }))
    .reverse();
  return { pair, trimmed: trimCommits(commits, cap), kind: "commits" as const };
}

function result(
  c: ComponentChange,
  pair: TagPair | undefined,
  source: ComponentHighlights["source"],
  note: string,
  trimmed: Trimmed | undefined,
): ComponentHighlights {
  return {
    id: c.id,
    ...links(c.github, pair),
    source,
    note,
    items: trimmed?.items ?? [],
    more: trimmed?.more ?? 0,
  };
}

/** Highlights of one changed component; never throws for what upstream lacks. */
export async function componentHighlights(
  c: ComponentChange,
  s: HighlightSources,
): Promise<ComponentHighlights> {
  const cap = s.cap ?? DEFAULT_CAP;
  if (c.kind === "removed" || c.kind === "added") {
    return result(
      c,
      undefined,
      "none",
      c.kind === "added" ? "new in this release" : "removed",
      undefined,
    );
  }
  if (c.localPath && s.project) {
    const commits = await s.project.git.run([
      "log",
      "--format=%H%x1f%an%x1f%P%x1f%s",
      `${s.project.from}..${s.project.to}`,
      "--",
      c.localPath,
    ]);
    const list = commits
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const [sha = "", author = "", parents = "", subject = ""] = l.split("\u001f");
        return { sha, author, subject, parents: parents.split(" ").filter(Boolean).length };
      });
    return result(
      c,
      undefined,
      "project-commits",
      `This project's commits to ${c.localPath}`,
      trimCommits(list, cap),
    );
  }
  let pair: TagPair | undefined;
  if (s.github) {
    try {
      const r = await fromGitHub(c, s.github, s, cap);
      pair = r.pair;
      if (r.kind === "github-releases")
        return result(
          c,
          r.pair,
          r.kind,
          `From the GitHub releases of ${c.github} after ${r.pair?.from ?? "the old pin"} up to ${r.pair?.to}`,
          r.trimmed,
        );
      if (r.kind === "commits" && r.trimmed)
        return result(
          c,
          r.pair,
          r.kind,
          `Commits to ${c.github} from ${r.pair?.from} to ${r.pair?.to} (merges and bots' commits left out)`,
          r.trimmed,
        );
    } catch (err) {
      if (!(err instanceof GitHubError)) throw err;
      s.ctx.logger.warn(`highlights of ${c.id}: ${err.message}`);
    }
  }
  const m = await fromMirror(c, s, cap);
  if (m?.trimmed) {
    return result(
      c,
      m.pair,
      "commits",
      `Commits to ${c.github} from ${m.pair?.from} to ${m.pair?.to}, read from the mirror's copy of its history (merges and bots' commits left out)`,
      m.trimmed,
    );
  }
  pair ??= m?.pair;
  const why =
    !s.github && !m
      ? `offline, and no mirror holds the history of ${c.github}`
      : `no tags of ${c.github} found for both pins`;
  return result(c, pair, "none", why, undefined);
}
