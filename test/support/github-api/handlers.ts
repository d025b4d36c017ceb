/**
 * The REST calls `shoppe bump --pr` makes, answered like GitHub: read a repository, a branch
 * ref and a commit; write a tree (with `base_tree`, inline `content`, `sha: null` deleting),
 * a commit and a ref (422 when it exists), move a ref; list pull requests by `head` and open
 * one (422 when one is open from the branch).
 */
import type { Router } from "./router.js";
import type { FakeRepo, GitHubState } from "./state.js";

type Body = Record<string, unknown>;

const notFound = { status: 404, body: { message: "Not Found" } };

function repoOf(state: GitHubState, params: Record<string, string>): FakeRepo | undefined {
  return state.repos.get(`${params.owner}/${params.repo}`);
}

/** Registers the handlers of repositories, git data and pull requests. */
export function registerHandlers(router: Router, base: string): void {
  router.on("GET", "/repos/:owner/:repo", (req, state) => {
    const repo = repoOf(state, req.params);
    if (!repo) return notFound;
    return {
      status: 200,
      body: { full_name: `${repo.owner}/${repo.name}`, default_branch: repo.defaultBranch },
    };
  });

  router.on("GET", "/repos/:owner/:repo/git/ref/:ref*", (req, state) => {
    const repo = repoOf(state, req.params);
    const sha = repo?.refs.get(req.params.ref ?? "");
    if (!sha) return notFound;
    return {
      status: 200,
      body: { ref: `refs/${req.params.ref}`, object: { sha, type: "commit" } },
    };
  });

  router.on("GET", "/repos/:owner/:repo/git/commits/:sha", (req, state) => {
    const c = repoOf(state, req.params)?.commits.get(req.params.sha ?? "");
    if (!c) return notFound;
    return {
      status: 200,
      body: {
        sha: c.sha,
        tree: { sha: c.tree },
        parents: c.parents.map((sha) => ({ sha })),
        message: c.message,
      },
    };
  });

  router.on("POST", "/repos/:owner/:repo/git/trees", (req, state) => {
    const repo = repoOf(state, req.params);
    const b = req.body as Body;
    if (!repo) return notFound;
    const files = new Map(repo.trees.get(String(b.base_tree)) ?? []);
    for (const e of (b.tree ?? []) as Body[]) {
      if (e.sha === null) files.delete(String(e.path));
      else if (typeof e.content === "string") files.set(String(e.path), e.content);
      else return { status: 422, body: { message: "tree entries need content or sha: null here" } };
    }
    return { status: 201, body: { sha: state.addTree(repo, files) } };
  });

  router.on("POST", "/repos/:owner/:repo/git/commits", (req, state) => {
    const repo = repoOf(state, req.params);
    const b = req.body as Body;
    if (!repo?.trees.has(String(b.tree)))
      return { status: 422, body: { message: "Tree not found" } };
    const sha = state.addCommit(repo, {
      tree: String(b.tree),
      parents: (b.parents ?? []) as string[],
      message: String(b.message),
    });
    return { status: 201, body: { sha, tree: { sha: b.tree } } };
  });

  router.on("POST", "/repos/:owner/:repo/git/refs", (req, state) => {
    const repo = repoOf(state, req.params);
    const b = req.body as Body;
    const ref = String(b.ref).replace(/^refs\//, "");
    if (!repo) return notFound;
    if (repo.refs.has(ref)) return { status: 422, body: { message: "Reference already exists" } };
    repo.refs.set(ref, String(b.sha));
    return { status: 201, body: { ref: `refs/${ref}`, object: { sha: b.sha } } };
  });

  router.on("PATCH", "/repos/:owner/:repo/git/refs/:ref*", (req, state) => {
    const repo = repoOf(state, req.params);
    const ref = req.params.ref ?? "";
    if (!repo?.refs.has(ref)) return { status: 422, body: { message: "Reference does not exist" } };
    repo.refs.set(ref, String((req.body as Body).sha));
    return { status: 200, body: { ref: `refs/${ref}`, object: { sha: (req.body as Body).sha } } };
  });

  const pullBody = (repo: FakeRepo, p: FakeRepo["pulls"][number]) => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    html_url: `${base}/${repo.owner}/${repo.name}/pull/${p.number}`,
    head: { ref: p.head },
    base: { ref: p.base },
  });

  router.on("GET", "/repos/:owner/:repo/pulls", (req, state) => {
    const repo = repoOf(state, req.params);
    if (!repo) return notFound;
    const head = req.query.get("head");
    const wanted = req.query.get("state") ?? "open";
    const list = repo.pulls.filter(
      (p) =>
        (wanted === "all" || p.state === wanted) && (!head || `${repo.owner}:${p.head}` === head),
    );
    return { status: 200, body: list.map((p) => pullBody(repo, p)) };
  });

  router.on("POST", "/repos/:owner/:repo/pulls", (req, state) => {
    const repo = repoOf(state, req.params);
    const b = req.body as Body;
    if (!repo) return notFound;
    const head = String(b.head);
    if (!repo.refs.has(`heads/${head}`))
      return { status: 422, body: { message: "Validation Failed: head" } };
    if (repo.pulls.some((p) => p.head === head && p.state === "open")) {
      return {
        status: 422,
        body: { message: `A pull request already exists for ${repo.owner}:${head}.` },
      };
    }
    const pull = {
      number: repo.pulls.length + 1,
      title: String(b.title),
      body: String(b.body ?? ""),
      head,
      base: String(b.base),
      state: "open" as const,
    };
    repo.pulls.push(pull);
    return { status: 201, body: pullBody(repo, pull) };
  });
}
