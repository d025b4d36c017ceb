/**
 * Opens one pull request through the GitHub REST API with octokit (loaded only here): one
 * commit holding every changed file (a tree on the base commit, then the commit), a branch ref
 * pointing at it, and the pull request. An open pull request from the same branch is the
 * "already exists" case: reported, not duplicated. The token travels in the Authorization
 * header only; every message is redacted before it leaves this module.
 */

import { ShoppeError } from "../errors.js";
import type { Redactor } from "../exec/redact.js";
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

interface ApiFailure {
  status?: number;
  message?: string;
  response?: { data?: { message?: unknown } };
}

/** Opens `spec` on `target`, or finds the one already open from its branch. */
export async function openPullRequest(
  target: GitHubTarget,
  spec: PullRequestSpec,
  deps: { logger: Logger; redactor: Redactor },
): Promise<PullRequestOutcome> {
  deps.redactor.add(target.token);
  const [owner = "", repo = ""] = target.repository.split("/");
  const { Octokit } = await import("octokit");
  const say = (m: string) => deps.redactor.redact(m);
  const octokit = new Octokit({
    auth: target.token,
    baseUrl: target.api.replace(/\/+$/, ""),
    log: {
      debug: (m: string) => deps.logger.debug(say(m)),
      info: (m: string) => deps.logger.debug(say(m)),
      warn: (m: string) => deps.logger.warn(say(m)),
      error: (m: string) => deps.logger.warn(say(m)),
    },
  });
  const step = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw failure(what, target.repository, err as ApiFailure, deps.redactor);
    }
  };
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

type Step = <T>(what: string, call: () => Promise<T>) => Promise<T>;
type Client = InstanceType<typeof import("octokit")["Octokit"]>;

/** Creates the branch at `sha`; one left by an earlier run (no pull request open) is moved. */
async function pointBranch(
  octokit: Client,
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

/** A GitHub API call that failed, with its HTTP status. */
export class GitHubError extends ShoppeError {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** "failed to <step> on <repo>: HTTP <status>: <GitHub's message>", redacted. */
function failure(
  what: string,
  repository: string,
  err: ApiFailure,
  redactor: Redactor,
): GitHubError {
  const said = err.response?.data?.message;
  const why = typeof said === "string" ? said : (err.message ?? String(err));
  const status = err.status ? `HTTP ${err.status}: ` : "";
  const hint =
    err.status === 401
      ? " (check GITHUB_TOKEN)"
      : err.status === 403 || err.status === 404
        ? " (check the token's access to the repository)"
        : "";
  return new GitHubError(
    redactor.redact(`failed to ${what} on ${repository}: ${status}${why}${hint}`),
    err.status,
  );
}
