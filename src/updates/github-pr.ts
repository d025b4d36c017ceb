/**
 * Opens one pull request through the GitHub REST API (the shared client, src/github): one
 * commit holding every changed file (a tree on the base commit, then the commit), a branch ref
 * pointing at it, and the pull request. An open pull request from the same branch is the
 * "already exists" case: reported, not duplicated. Every message is redacted by the client.
 */
import type { Redactor } from "../exec/redact.js";
import { call, GitHubError, type OctokitClient, openGitHub } from "../github/client.js";
import type { Logger } from "../log.js";

/** Where pull requests go. */
export interface GitHubTarget {
  /** `owner/name`. */
  repository: string;
  /** REST API base URL. */
  api: string;
  token: string;
  /** Base branch; default the repository's default branch. */
  base?: string;
}

/** A file of the commit: new content, or null to delete it. */
export interface CommitFile {
  path: string;
  content: string | null;
}

/** What one pull request holds. */
export interface PullRequestSpec {
  branch: string;
  title: string;
  body: string;
  files: CommitFile[];
}

/** An opened (or found) pull request. */
export interface PullRequestOutcome {
  number: number;
  url: string;
  branch: string;
  base: string;
  /** False when one was already open from this branch. */
  created: boolean;
}

/** Opens `spec` on `target`, or finds the one already open from its branch. */
export async function openPullRequest(
  target: GitHubTarget,
  spec: PullRequestSpec,
  deps: { logger: Logger; redactor: Redactor },
): Promise<PullRequestOutcome> {
  const [owner = "", repo = ""] = target.repository.split("/");
  const octokit = await openGitHub({ api: target.api, token: target.token }, deps);
  const step: Step = (what, run) => call(what, target.repository, deps.redactor, run);
  const base =
    target.base ??
    (await step("read the repository", () => octokit.rest.repos.get({ owner, repo }))).data
      .default_branch;
  const open = await step("list open pull requests", () =>
    octokit.rest.pulls.list({ owner, repo, head: `${owner}:${spec.branch}`, state: "open" }),
  );
  const existing = open.data[0];
  if (existing) {
    return {
      number: existing.number,
      url: existing.html_url,
      branch: spec.branch,
      base,
      created: false,
    };
  }
  const baseRef = await step(`read branch ${base}`, () =>
    octokit.rest.git.getRef({ owner, repo, ref: `heads/${base}` }),
  );
  const parent = baseRef.data.object.sha;
  const baseCommit = await step("read the base commit", () =>
    octokit.rest.git.getCommit({ owner, repo, commit_sha: parent }),
  );
  const tree = await step("write the tree", () =>
    octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.data.tree.sha,
      tree: spec.files.map((f) =>
        f.content === null
          ? { path: f.path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path: f.path, mode: "100644" as const, type: "blob" as const, content: f.content },
      ),
    }),
  );
  const commit = await step("write the commit", () =>
    octokit.rest.git.createCommit({
      owner,
      repo,
      message: spec.title,
      tree: tree.data.sha,
      parents: [parent],
    }),
  );
  await pointBranch(octokit, owner, repo, spec.branch, commit.data.sha, step);
  const pr = await step("open the pull request", () =>
    octokit.rest.pulls.create({
      owner,
      repo,
      title: spec.title,
      body: spec.body,
      head: spec.branch,
      base,
    }),
  );
  return {
    number: pr.data.number,
    url: pr.data.html_url,
    branch: spec.branch,
    base,
    created: true,
  };
}

type Step = <T>(what: string, run: () => Promise<T>) => Promise<T>;

/** Creates the branch at `sha`; one left by an earlier run (no pull request open) is moved. */
async function pointBranch(
  octokit: OctokitClient,
  owner: string,
  repo: string,
  branch: string,
  sha: string,
  step: Step,
): Promise<void> {
  try {
    await step(`create branch ${branch}`, () =>
      octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha }),
    );
  } catch (err) {
    if (!(err instanceof GitHubError) || err.status !== 422) throw err;
    await step(`move branch ${branch}`, () =>
      octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true }),
    );
  }
}
