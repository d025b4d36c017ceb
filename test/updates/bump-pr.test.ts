/**
 * `shoppe bump --pr`: one pull request per component through octokit, against the local server
 * of test/support/github-api that answers like the GitHub REST API. A dry run by default (no
 * request, no change to the working tree); with --publish each component's commit holds only
 * its own stack.yaml change and re-rendered chart; an open pull request is found, not
 * duplicated; a branch left by a failed run is moved; the token never appears in any output.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readChartDir } from "../../src/chart/writer.js";
import { runCli } from "../helpers/cli.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api/server.js";
import { type IndexServer, serveIndexes } from "../support/index-server.js";
import { loopbackOnly } from "../support/loopback-only.js";
import type { RealProject } from "../support/real-project.js";
import { OLDER, projectFromText, realStackText } from "../support/update-project.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const TOKEN = `ghp_${"a1B2c3D4e5".repeat(4)}`;
const REPO = "CoffeaTeam/coffea-shoppe";

loopbackOnly();

describeWithUpstream("shoppe bump --pr", [], () => {
  let server: IndexServer;
  let github: GitHubApi;
  let project: RealProject;
  let older: string;
  let base: Map<string, string>;
  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: REPO, GITHUB_API_URL: github.url });
  const publish = (args: string[] = [], extra: NodeJS.ProcessEnv = {}) =>
    runCli(
      ["--json", "bump", "--all", "--pr", "--publish", "--retries", "0", ...args],
      project.root,
      {
        ...env(),
        ...extra,
      },
    );

  beforeAll(async () => {
    server = await serveIndexes(UPSTREAM_SOURCE);
    github = await startGitHubApi(TOKEN);
    older = await realStackText(server.urls, OLDER);
    project = await projectFromText(older);
    const chart = (await readChartDir(project.chartDir)) ?? {};
    base = new Map([
      ["stack.yaml", older],
      ...Object.entries(chart).map(([p, t]): [string, string] => [`charts/coffea-shoppe/${p}`, t]),
    ]);
    github.state.seed(REPO, Object.fromEntries(base));
  });
  afterAll(async () => {
    await project?.close();
    await github?.close();
    await server?.close();
  });

  it("describes one pull request per component in a dry run, sending nothing, changing nothing", async () => {
    const r = await runCli(["bump", "--all", "--pr"], project.root, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'would open "Bump servicex chart servicex from 1.5.2 to 1.5.3" from branch shoppe/bump-servicex-1.5.3 (dry run; --publish opens it):\n    modified: stack.yaml\n    modified: charts/coffea-shoppe/Chart.yaml',
    );
    expect(r.stdout.match(/would open/g)).toHaveLength(3);
    expect(github.requests).toEqual([]);
    expect(await readFile(path.join(project.root, "stack.yaml"), "utf8")).toBe(older);
  });

  it("opens them with --publish: each commit holds only its component's change", async () => {
    const r = await publish();
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    const prs = JSON.parse(r.stdout).pullRequests;
    expect(prs.map((p: { outcome: { number: number; created: boolean } }) => p.outcome)).toEqual([
      expect.objectContaining({
        number: 1,
        created: true,
        base: "main",
        url: `${github.url}/CoffeaTeam/coffea-shoppe/pull/1`,
      }),
      expect.objectContaining({ number: 2, created: true }),
      expect.objectContaining({ number: 3, created: true }),
    ]);
    const repo = github.state.repos.get(REPO);
    expect(repo?.pulls.map((p) => `${p.head} -> ${p.base}: ${p.title}`)).toEqual([
      "shoppe/bump-coffea-casa-2026.1008.3 -> main: Bump coffea-casa chart coffea-casa from 2026.929.2 to 2026.1008.3",
      "shoppe/bump-servicex-1.5.3 -> main: Bump servicex chart servicex from 1.5.2 to 1.5.3",
      "shoppe/bump-mlflow-1.11.5 -> main: Bump mlflow chart mlflow from 1.11.2 to 1.11.5",
    ]);
    const onBranch = github.state.filesOn(REPO, "shoppe/bump-servicex-1.5.3");
    const stack = onBranch.get("stack.yaml") as string;
    const changed = older
      .split("\n")
      .flatMap((l, i) => (l === stack.split("\n")[i] ? [] : [l.trim()]));
    expect(changed).toEqual([
      "version: 1.5.2",
      "appVersion: 1.5.2",
      ...Array(10).fill("tag: v1.5.2"),
    ]);
    expect(onBranch.get("charts/coffea-shoppe/Chart.yaml")).toContain("version: 1.5.3");
    expect(onBranch.get("charts/coffea-shoppe/Chart.yaml")).not.toContain("version: 1.11.5");
    for (const [p, text] of base)
      if (!onBranch.has(p)) expect.fail(`${p} vanished from the branch (${text.length})`);
    expect(repo?.pulls[1]?.body).toContain(
      "| image app (`sslhep/servicex_app`) | `v1.5.2` | `v1.5.3` |",
    );
    expect(repo?.pulls[0]?.body).toContain("**Not derived, check by hand:**");
    expect(await readFile(path.join(project.root, "stack.yaml"), "utf8")).toBe(older);
    const calls = github.requests.filter((q) => q.path.includes("") && q.status !== 0).slice(0, 8);
    expect(calls.map((q) => `${q.method} ${q.path}${q.query} ${q.status}`)).toEqual([
      `GET /repos/${REPO} 200`,
      `GET /repos/${REPO}/pulls?head=CoffeaTeam%3Ashoppe%2Fbump-coffea-casa-2026.1008.3&state=open 200`,
      `GET /repos/${REPO}/git/ref/heads/main 200`,
      expect.stringMatching(new RegExp(`^GET /repos/${REPO}/git/commits/[0-9a-f]{40} 200$`)),
      `POST /repos/${REPO}/git/trees 201`,
      `POST /repos/${REPO}/git/commits 201`,
      `POST /repos/${REPO}/git/refs 201`,
      `POST /repos/${REPO}/pulls 201`,
    ]);
    expect(github.requests.every((q) => q.authorized)).toBe(true);
  });

  it("finds the pull requests already open instead of opening them again", async () => {
    const before = github.requests.length;
    const r = await runCli(["bump", "--all", "--pr", "--publish"], project.root, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `already open: #2 ${github.url}/CoffeaTeam/coffea-shoppe/pull/2 from branch shoppe/bump-servicex-1.5.3:`,
    );
    const writes = github.requests.slice(before).filter((q) => q.method !== "GET");
    expect(writes).toEqual([]);
  });

  it("moves a branch an earlier run left behind, then opens the pull request", async () => {
    const repo = github.state.repos.get(REPO);
    if (!repo) throw new Error("no repo");
    repo.pulls.splice(1, 1); // servicex's pull request closed and gone; its branch stays
    const before = github.requests.length;
    const r = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, env());
    expect(r.code).toBe(0);
    const calls = github.requests.slice(before).map((q) => `${q.method} ${q.path} ${q.status}`);
    expect(calls).toContain(`POST /repos/${REPO}/git/refs 422`);
    expect(calls).toContain(`PATCH /repos/${REPO}/git/refs/heads/shoppe/bump-servicex-1.5.3 200`);
    expect(repo.pulls.map((p) => p.head)).toContain("shoppe/bump-servicex-1.5.3");
  });

  it("reports a failed API call in one line, with GitHub's message", async () => {
    github.inject({
      method: "GET",
      path: `/repos/${REPO}/pulls`,
      status: 422,
      body: { message: "Validation Failed" },
    });
    const r = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, env());
    expect(r.code).toBe(1);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).toEqual([
      `error: failed to list open pull requests on ${REPO}: HTTP 422: Validation Failed`,
    ]);
  });

  it("never shows the token: not in messages, not with --verbose, not when the server echoes it", async () => {
    github.inject({ method: "GET", path: `/repos/${REPO}`, status: 403, echoAuthorization: true });
    const echoed = await runCli(
      ["--verbose", "bump", "servicex", "--pr", "--publish"],
      project.root,
      env(),
    );
    expect(echoed.code).toBe(1);
    expect(echoed.stderr).toContain(
      `error: failed to read the repository on ${REPO}: HTTP 403: rejected token ***`,
    );
    const bad = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, {
      ...env(),
      GITHUB_TOKEN: `ghp_${"Z9y8X7w6V5".repeat(4)}`,
    });
    expect(bad.stderr).toContain(`HTTP 401: Bad credentials (check GITHUB_TOKEN)`);
    for (const out of [echoed.stdout, echoed.stderr, bad.stdout, bad.stderr]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain("Z9y8X7w6V5");
    }
  });

  it("needs a token and a repository to publish, and says where they come from", async () => {
    const noToken = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, {
      GITHUB_REPOSITORY: REPO,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(
      "--publish needs a GitHub token in GITHUB_TOKEN (or SHOPPE_GITHUB_TOKEN)",
    );
    const noRepo = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, {
      GITHUB_TOKEN: TOKEN,
    });
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain("--publish needs the GitHub repository as owner/name");
    // The token travels to the API: never in clear text to another machine.
    const clear = await runCli(["bump", "servicex", "--pr", "--publish"], project.root, {
      ...env(),
      GITHUB_API_URL: "http://github.example/api/v3",
    });
    expect(clear.code).toBe(2);
    expect(clear.stderr).toContain(
      'failed to use the GitHub API "http://github.example/api/v3": not https, and the token would travel in clear text',
    );
    expect(clear.stderr).not.toContain(TOKEN);
    const flag = await runCli(
      [
        "--json",
        "bump",
        "servicex",
        "--pr",
        "--publish",
        "--github-repo",
        REPO,
        "--github-api",
        github.url,
      ],
      project.root,
      { GITHUB_TOKEN: TOKEN },
    );
    expect(JSON.parse(flag.stdout).pullRequests[0].outcome).toMatchObject({
      created: false,
      branch: "shoppe/bump-servicex-1.5.3",
    });
  });
});
