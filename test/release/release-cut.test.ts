/**
 * `release plan` and `release cut --publish` for real: a git repository with a release
 * history and a bare `origin`, the real helm (chart deps from the shared upstream mirror,
 * package, repo index, push), Debian's docker-registry on 127.0.0.1 and the fake GitHub API on
 * 127.0.0.1. One component takes a minor step; the plan proposes 0.2.0, the cut makes and
 * checks every artefact, and a rerun finds everything done. The token (token-shaped) appears
 * in no output, log, error, file or commit.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { releaseCut, releasePlan } from "../../src/actions/release.js";
import { render } from "../../src/actions/render.js";
import { openHelm } from "../../src/tools/helm.js";
import { describeWithTools } from "../helpers/tools.js";
import { ReleaseStore, registerReleaseHandlers } from "../support/github-api/releases.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api/server.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "../support/oci-registry.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";

/** Token-shaped, and registered nowhere else: any leak shows. */
const TOKEN = `ghp_${"R3l34s3T0k3n".repeat(3)}`;
const REPO = "CoffeaTeam/coffea-shoppe";

describeWithTools(
  "release cut --publish against local servers",
  ["helm", "git", DOCKER_REGISTRY],
  () => {
    let project: ReleaseProject;
    let api: GitHubApi;
    let store: ReleaseStore;
    let registry: OciRegistry;
    let options: Parameters<typeof releaseCut>[1];

    beforeAll(async () => {
      project = await createReleaseProject();
      api = await startGitHubApi(TOKEN);
      store = new ReleaseStore();
      registerReleaseHandlers(api.router, api.url, store);
      registry = await startOciRegistry(DOCKER_REGISTRY);
      options = {
        githubRepo: REPO,
        githubApi: api.url,
        oci: registry.chartsUrl,
        ...(project.mirror ? { mirror: project.mirror } : {}),
        timeScale: 0.001,
        publish: true,
      };
    }, 120_000);

    afterAll(async () => {
      await registry?.close();
      await api?.close();
      await project?.close();
    });

    it("plans 0.2.0: XCache took a minor step since v0.1.0", async () => {
      const plan = await releasePlan(project.context(), {});
      expect(plan.previous?.tag).toBe("v0.1.0");
      expect(
        plan.diff.components.map((c) => [c.id, c.kind, c.chart?.from, c.chart?.to, c.level]),
      ).toEqual([["xcache", "upgraded", "0.1.0", "0.2.0", "minor"]]);
      expect(plan.version).toBe("0.2.0");
      expect((await releasePlan(project.context(), { pre: "rc" })).version).toBe("0.2.0-rc.1");
    });

    it("a dry run (no --publish) changes nothing and lists every step", async () => {
      const before = await project.git.run(["status", "--porcelain"]);
      const r = await releaseCut(project.context({ GITHUB_TOKEN: TOKEN }), {
        ...options,
        publish: false,
      });
      expect(r.dryRun).toBe(true);
      expect(r.steps.map((s) => s.name)).toEqual([
        "set the version",
        "record the changes",
        "render the chart",
        "update the changelog",
        "commit",
        "tag",
        "package the chart",
        "push the tag",
        "create the GitHub release",
        "attach the chart",
        "publish the GitHub release",
        "add to the Helm repository",
        "push to the OCI registry",
      ]);
      expect(r.steps.every((s) => s.status === "would")).toBe(true);
      expect(await project.git.run(["status", "--porcelain"])).toBe(before);
      expect(await project.git.tagInfo("v0.2.0")).toBeUndefined();
      expect(api.requests.filter((q) => q.method !== "GET")).toEqual([]);
    });

    it("cuts and publishes 0.2.0: tag, changelog, release with asset, gh-pages entry, OCI artefact", async () => {
      const ctx = project.context({ GITHUB_TOKEN: TOKEN });
      const r = await releaseCut(ctx, options);
      expect(
        r.steps.map((s) => `${s.name}: ${s.status}`).filter((s) => !s.endsWith("applied")),
      ).toEqual([]);
      const { root, git } = project;
      // The local steps: stack.yaml (comments kept), changes, chart, changelog, commit, tag.
      const stack = await readFile(path.join(root, "stack.yaml"), "utf8");
      expect(
        stack.startsWith("# The test stack: comments like this one must survive release cut.\n"),
      ).toBe(true);
      expect(parse(stack).release.version).toBe("0.2.0");
      const chartYaml = parse(
        await readFile(path.join(root, "charts/coffea-shoppe/Chart.yaml"), "utf8"),
      );
      expect(chartYaml.version).toBe("0.2.0");
      expect(parse(chartYaml.annotations["artifacthub.io/changes"])).toEqual([
        expect.objectContaining({ kind: "changed", description: "XCache 0.1.0 → 0.2.0" }),
      ]);
      expect((await render(ctx, { check: true })).changed).toBe(false);
      const changelog = await readFile(path.join(root, "CHANGELOG.md"), "utf8");
      expect(changelog).toMatch(/^## \[0\.2\.0\]\(.*\/releases\/tag\/v0\.2\.0\) \(2026-12-01\)$/m);
      expect(changelog).toContain("- XCache: 0.1.0 → 0.2.0");
      expect(await git.run(["log", "-1", "--format=%s"])).toBe("Release v0.2.0\n");
      const tag = await git.tagInfo("v0.2.0");
      expect(tag).toEqual({ commit: await git.resolve("HEAD"), annotated: true });
      expect(await git.status()).toEqual([]);
      // Pushed: the branch and the tag.
      const remote = await git.lsRemote(project.origin, ["refs/heads/main", "refs/tags/v0.2.0"]);
      expect(remote.get("refs/heads/main")).toBe(await git.resolve("HEAD"));
      expect(remote.get("refs/tags/v0.2.0")).toBe(
        (await git.run(["rev-parse", "refs/tags/v0.2.0"])).trim(),
      );
      // The archive, reproducible from the tag.
      const archive = path.join(root, r.archive?.file ?? "");
      const bytes = await readFile(archive);
      const sha = createHash("sha256").update(bytes).digest("hex");
      expect(r.archive?.sha256).toBe(sha);
      // The GitHub release: published, with the notes and the archive.
      const releases = store.of(REPO);
      expect(releases).toHaveLength(1);
      const rel = releases[0];
      expect(rel).toMatchObject({
        tag: "v0.2.0",
        name: "coffea-shoppe 0.2.0",
        draft: false,
        prerelease: false,
      });
      expect(rel?.body).toBe(r.notes);
      expect(rel?.body).toContain("| XCache | xcache 0.1.0 → 0.2.0 |");
      expect(
        rel?.assets.map((a) => [
          a.name,
          a.state,
          createHash("sha256").update(a.bytes).digest("hex"),
        ]),
      ).toEqual([["coffea-shoppe-0.2.0.tgz", "uploaded", sha]]);
      // gh-pages: the index lists 0.2.0 with the archive's digest, served from the release asset.
      const index = parse(
        await git.run(["--git-dir", project.origin, "show", "gh-pages:index.yaml"]),
      );
      const entry = index.entries["coffea-shoppe"].find(
        (e: { version: string }) => e.version === "0.2.0",
      );
      expect(entry.digest).toBe(sha);
      expect(entry.urls).toEqual([
        `${api.url}/${REPO}/releases/download/v0.2.0/coffea-shoppe-0.2.0.tgz`,
      ]);
      // OCI: the registry holds the same bytes.
      const helm = openHelm(ctx, "v4");
      const into = await mkdtemp(path.join(root, ".shoppe", "pulled-"));
      await helm.pull(`${registry.chartsUrl}/coffea-shoppe`, {
        version: "0.2.0",
        destination: into,
        plainHttp: true,
      });
      const [pulled] = await readdir(into);
      expect(
        createHash("sha256")
          .update(await readFile(path.join(into, pulled ?? "")))
          .digest("hex"),
      ).toBe(sha);
      // The token: in no output, log, error, file or commit.
      const everything = [
        JSON.stringify(r),
        JSON.stringify(project.logger.lines),
        project.progressLines.join("\n"),
        changelog,
        stack,
        await readFile(path.join(root, r.notesFile ?? ""), "utf8"),
        await readFile(path.join(root, r.announcementFile ?? ""), "utf8"),
        await git.run(["log", "--all", "--format=%B"]),
        await git.run(["tag", "-n99"]),
        index ? JSON.stringify(index) : "",
        JSON.stringify(api.requests.map((q) => q.body)),
      ].join("\n");
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(TOKEN.slice(4));
      expect(api.requests.every((q) => q.authorized)).toBe(true);
    }, 180_000);

    it("run again, finds every step done and duplicates nothing", async () => {
      const writes = api.requests.filter((q) => q.method !== "GET").length;
      const pagesBefore = await project.git.run([
        "--git-dir",
        project.origin,
        "rev-parse",
        "gh-pages",
      ]);
      const r = await releaseCut(project.context({ GITHUB_TOKEN: TOKEN }), options);
      expect(r.resumed).toBe(true);
      expect(r.steps.map((s) => `${s.name}: ${s.status}`)).toEqual([
        "package the chart: done",
        "push the tag: done",
        "create the GitHub release: done",
        "attach the chart: done",
        "publish the GitHub release: done",
        "add to the Helm repository: done",
        "push to the OCI registry: done",
      ]);
      expect(api.requests.filter((q) => q.method !== "GET").length).toBe(writes);
      expect(store.of(REPO)).toHaveLength(1);
      expect(store.of(REPO)[0]?.assets).toHaveLength(1);
      expect(await project.git.run(["--git-dir", project.origin, "rev-parse", "gh-pages"])).toBe(
        pagesBefore,
      );
    }, 120_000);
  },
);
