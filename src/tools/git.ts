/**
 * Typed methods over the real git, through the runner (argv arrays, never a shell string).
 * Every call names its repository with `-C`, so nothing depends on the process's directory,
 * and runs with a fixed locale and no pager, so the output parsed here is stable.
 */
import type { Runner } from "../exec/runner.js";

/** One commit as release notes use it. */
export interface GitCommit {
  sha: string;
  author: string;
  /** The first line of the message. */
  subject: string;
  /** Number of parents: more than one is a merge. */
  parents: number;
}

const SEP = "\u001f";

/** A git repository (a work tree or a bare one). */
export class Git {
  constructor(
    private readonly runner: Runner,
    /** The repository directory. */
    readonly dir: string,
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  /** The same git, in another directory (a worktree). */
  at(dir: string): Git {
    return new Git(this.runner, dir, this.env);
  }

  /** Runs `git -C dir args…` and returns stdout. */
  async run(args: string[], o: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
    const env = { LC_ALL: "C", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", ...this.env };
    const r = await this.runner.run("git", ["-C", this.dir, ...args], { ...o, env });
    return r.stdout;
  }

  /** The full SHA of `rev` (`HEAD`, a tag, a branch), or undefined when it names nothing. */
  async resolve(rev: string): Promise<string | undefined> {
    const out = await this.run(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).catch(
      () => "",
    );
    return out.trim() || undefined;
  }

  /** Tags matching `pattern` that `rev` contains (`git tag --merged`). */
  async tagsMerged(pattern: string, rev = "HEAD"): Promise<string[]> {
    const out = await this.run(["tag", "--list", pattern, "--merged", rev]);
    return out.split("\n").filter(Boolean);
  }

  /** Every tag (names only). */
  async tags(): Promise<string[]> {
    return (await this.run(["tag", "--list"])).split("\n").filter(Boolean);
  }

  /** The text of `file` at `rev`, or undefined when it is not there. */
  async show(rev: string, file: string): Promise<string | undefined> {
    return this.run(["show", `${rev}:${file}`]).catch(() => undefined);
  }

  /** `git status --porcelain` lines (less the `exclude` pathspecs): empty when clean. */
  async status(exclude: string[] = []): Promise<string[]> {
    const pathspecs =
      exclude.length > 0 ? ["--", ".", ...exclude.map((e) => `:(exclude)${e}`)] : [];
    return (await this.run(["status", "--porcelain", "--untracked-files=normal", ...pathspecs]))
      .split("\n")
      .filter(Boolean);
  }

  /** The current branch, or undefined on a detached HEAD. */
  async branch(): Promise<string | undefined> {
    const out = await this.run(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "");
    return out.trim() || undefined;
  }

  /** Commits reachable from `to` and not from `from`, newest first. */
  async log(from: string, to: string): Promise<GitCommit[]> {
    const out = await this.run(["log", `--format=%H${SEP}%an${SEP}%P${SEP}%s`, `${from}..${to}`]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [sha = "", author = "", parents = "", subject = ""] = line.split(SEP);
        return { sha, author, subject, parents: parents.split(" ").filter(Boolean).length };
      });
  }

  /** Committer time of `rev`, in seconds since the epoch. */
  async commitTime(rev: string): Promise<number> {
    return Number((await this.run(["log", "-1", "--format=%ct", rev])).trim());
  }

  /** The object a tag name points to and whether it is annotated; undefined when absent. */
  async tagInfo(tag: string): Promise<{ commit: string; annotated: boolean } | undefined> {
    const type = (await this.run(["cat-file", "-t", `refs/tags/${tag}`]).catch(() => "")).trim();
    if (!type) return undefined;
    const commit = await this.resolve(`refs/tags/${tag}`);
    return commit ? { commit, annotated: type === "tag" } : undefined;
  }

  /** Refs of a remote (`git ls-remote`): ref name → object id (peeled tags as `^{}`). */
  async lsRemote(remote: string, refs: string[]): Promise<Map<string, string>> {
    const out = await this.run(["ls-remote", remote, ...refs]);
    const map = new Map<string, string>();
    for (const line of out.split("\n").filter(Boolean)) {
      const [sha = "", ref = ""] = line.split("\t");
      map.set(ref, sha);
    }
    return map;
  }
}

/** Opens `dir` as a git repository for `runner`. */
export function openGit(runner: Runner, dir: string): Git {
  return new Git(runner, dir);
}
