/**
 * The state behind the fake GitHub API: repositories with refs, commits, trees (path → file
 * text) and pull requests, held in memory. Objects get content-derived SHAs, as git's do.
 */
import { createHash } from "node:crypto";

/** A commit: its tree, parents and message. */
export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

/** A pull request. */
export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: "open" | "closed";
}

/** One repository. */
export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  /** `heads/main` → commit SHA. */
  refs: Map<string, string>;
  commits: Map<string, FakeCommit>;
  /** Tree SHA → path → content. */
  trees: Map<string, Map<string, string>>;
  pulls: FakePull[];
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** Every repository of the fake. */
export class GitHubState {
  readonly repos = new Map<string, FakeRepo>();

  /** Creates `owner/name` with one commit on `branch` holding `files`. */
  seed(fullName: string, files: Record<string, string>, branch = "main"): FakeRepo {
    const [owner = "", name = ""] = fullName.split("/");
    const repo: FakeRepo = {
      owner,
      name,
      defaultBranch: branch,
      refs: new Map(),
      commits: new Map(),
      trees: new Map(),
      pulls: [],
    };
    const tree = this.addTree(repo, new Map(Object.entries(files)));
    const commit = this.addCommit(repo, { tree, parents: [], message: "initial" });
    repo.refs.set(`heads/${branch}`, commit);
    this.repos.set(fullName, repo);
    return repo;
  }

  /** Stores a tree; returns its SHA. */
  addTree(repo: FakeRepo, files: Map<string, string>): string {
    const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = sha1(JSON.stringify(sorted));
    repo.trees.set(sha, new Map(sorted));
    return sha;
  }

  /** Stores a commit; returns its SHA. */
  addCommit(repo: FakeRepo, c: Omit<FakeCommit, "sha">): string {
    const sha = sha1(JSON.stringify(c) + repo.commits.size);
    repo.commits.set(sha, { ...c, sha });
    return sha;
  }

  /** The files of the commit a branch points to. */
  filesOn(fullName: string, branch: string): Map<string, string> {
    const repo = this.repos.get(fullName);
    const sha = repo?.refs.get(`heads/${branch}`);
    const commit = sha ? repo?.commits.get(sha) : undefined;
    return (commit && repo?.trees.get(commit.tree)) ?? new Map();
  }
}
