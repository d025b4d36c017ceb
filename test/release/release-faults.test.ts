/**
 * Faults while publishing, injected into the fake GitHub API: a 500 on the asset upload (that
 * leaves a half-made asset, as GitHub does), a secondary rate limit with `retry-after`, a
 * connection dropped after GitHub did the work (the answer lost) and one dropped before, a
 * 422 for an asset that exists, an asset with other bytes, a server that echoes the token.
 * After each, the same command finishes the release: nothing duplicated, nothing lost, and
 * the token in no message.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { parse } from "yaml";
import { type ReleaseCutOptions, releaseCut } from "../../src/actions/release.js";
import { ReleaseStepError } from "../../src/release/cut/steps.js";
import { describeWithTools } from "../helpers/tools.js";
import { ReleaseStore, registerReleaseHandlers } from "../support/github-api/releases.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api/server.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "../support/oci-registry.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";

const TOKEN = `ghp_${"F4u1tT0k3nXY".repeat(3)}`;
const REPO = "CoffeaTeam/coffea-shoppe";
const UPLOAD = /^\/api\/uploads\/repos\/CoffeaTeam\/coffea-shoppe\/releases\/\d+\/assets$/;

describeWithTools(
  "release cut --publish: faults and reruns",
  ["helm", "git", DOCKER_REGISTRY],
  () => {
    let registry: OciRegistry;
    let project: ReleaseProject;
    let api: GitHubApi;
    let store: ReleaseStore;
    let options: ReleaseCutOptions;

    beforeAll(async () => {
      registry = await startOciRegistry(DOCKER_REGISTRY);
    }, 60_000);
    afterAll(async () => registry?.close());

    beforeEach(async () => {
      project = await createReleaseProject();
      api = await startGitHubApi(TOKEN);
      store = new ReleaseStore();
      registerReleaseHandlers(api.router, api.url, store);
      options = {
        githubRepo: REPO,
        githubApi: api.url,
        // A repository per test: the versions are the same in every test.
        oci: `${registry.chartsUrl}/${path.basename(path.dirname(project.root)).toLowerCase()}`,
        ...(project.mirror ? { mirror: project.mirror } : {}),
        timeScale: 0.001,
        publish: true,
      };
    }, 60_000);
    afterEach(async () => {
      await api?.close();
      await project?.close();
    });

    const cut = () => releaseCut(project.context({ GITHUB_TOKEN: TOKEN }), options);
    const failure = async () => {
      const err = await cut().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ReleaseStepError);
      return err as ReleaseStepError;
    };
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

    /** One published release with exactly the packaged archive, nothing else. */
    async function expectPublishedOnce() {
      const releases = store.of(REPO);
      expect(releases.map((r) => [r.tag, r.draft])).toEqual([["v0.2.0", false]]);
      const archive = await readFile(
        path.join(project.root, ".shoppe/release/v0.2.0/coffea-shoppe-0.2.0.tgz"),
      );
      expect(releases[0]?.assets.map((a) => [a.name, a.state, sha(a.bytes)])).toEqual([
        ["coffea-shoppe-0.2.0.tgz", "uploaded", sha(archive)],
      ]);
      const index = await project.git.run([
        "--git-dir",
        project.origin,
        "show",
        "gh-pages:index.yaml",
      ]);
      const entries = parse(index).entries["coffea-shoppe"] as {
        version: string;
        digest: string;
      }[];
      expect(entries.filter((e) => e.version === "0.2.0").map((e) => e.digest)).toEqual([
        sha(archive),
      ]);
      expect(project.logger.lines.map((l) => l.message).join("\n")).not.toContain(TOKEN);
    }

    it("a 500 on every upload attempt stops at the asset; the rerun deletes the half-made asset and finishes", async () => {
      for (let i = 0; i < 10; i++) store.uploadFaults.push({ status: 500, leaves: "starter" });
      const err = await failure();
      expect(err.message).toMatch(
        /^failed to upload coffea-shoppe-0\.2\.0\.tgz on CoffeaTeam\/coffea-shoppe: HTTP 500: Server Error \(GitHub failed; run the command again/,
      );
      // Three uploads, each followed by deleting the half-made asset it left.
      expect(api.requests.filter((q) => UPLOAD.test(q.path)).map((q) => q.status)).toEqual([
        500, 500, 500,
      ]);
      expect(api.requests.filter((q) => q.method === "DELETE").map((q) => q.status)).toEqual([
        204, 204, 204,
      ]);
      expect(err.message).toContain("run the same command again to finish the release v0.2.0");
      expect(err.outcomes.find((o) => o.status === "failed")?.name).toBe("attach the chart");
      expect(err.outcomes.filter((o) => o.status === "skipped").map((o) => o.name)).toEqual([
        "publish the GitHub release",
        "add to the Helm repository",
        "push to the OCI registry",
      ]);
      expect(store.of(REPO)[0]?.draft).toBe(true);
      expect(store.of(REPO)[0]?.assets).toEqual([]);
      // The next run meets one more half-made asset, left by a failure it did not see.
      store.uploadFaults.length = 0;
      store.of(REPO)[0]?.assets.push({
        id: store.nextAssetId++,
        name: "coffea-shoppe-0.2.0.tgz",
        label: null,
        contentType: "application/gzip",
        state: "starter",
        bytes: Buffer.from("half"),
      });
      const r = await cut();
      expect(r.resumed).toBe(true);
      expect(r.steps.filter((s) => s.status === "applied").map((s) => s.name)).toEqual([
        "attach the chart",
        "publish the GitHub release",
        "add to the Helm repository",
        "push to the OCI registry",
      ]);
      await expectPublishedOnce();
    }, 120_000);

    it("a secondary rate limit with retry-after is waited out and retried, once", async () => {
      api.inject({
        method: "POST",
        path: "/repos/CoffeaTeam/coffea-shoppe/releases",
        status: 403,
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        },
        headers: { "retry-after": "2", "content-type": "application/json; charset=utf-8" },
      });
      await cut();
      const creates = api.requests.filter(
        (q) => q.method === "POST" && q.path.endsWith("/releases"),
      );
      expect(creates.map((q) => q.status)).toEqual([403, 201]);
      expect(
        project.logger.lines.some(
          (l) => l.level === "warn" && /secondary rate limit.*waiting 2 s/.test(l.message),
        ),
      ).toBe(true);
      await expectPublishedOnce();
    }, 120_000);

    it("a connection dropped after the upload was stored: the asset is found with the same bytes and kept, not uploaded twice", async () => {
      api.inject({ method: "POST", path: UPLOAD, status: 0, drop: "after" });
      await cut();
      const uploads = api.requests.filter((q) => UPLOAD.test(q.path));
      // The answer was lost; the look that follows finds the asset with the same digest.
      expect(uploads.map((q) => q.status)).toEqual([0]);
      expect(api.requests.filter((q) => q.method === "DELETE")).toEqual([]);
      await expectPublishedOnce();
    }, 120_000);

    it("a 422 already_exists for an asset another upload just stored: the same bytes are found and kept", async () => {
      store.uploadFaults.push({ status: 422, leaves: "uploaded" });
      await cut();
      const uploads = api.requests.filter((q) => UPLOAD.test(q.path));
      expect(uploads.map((q) => q.status)).toEqual([422]);
      await expectPublishedOnce();
    }, 120_000);

    it("connections dropped on every publish attempt stop the run; the rerun publishes the draft", async () => {
      // Four attempts: the first and octokit's three retries (src/github/client.ts).
      api.inject({
        method: "PATCH",
        path: /^\/repos\/CoffeaTeam\/coffea-shoppe\/releases\/\d+$/,
        status: 0,
        drop: "before",
        times: 4,
      });
      const err = await failure();
      expect(err.outcomes.find((o) => o.status === "failed")?.name).toBe(
        "publish the GitHub release",
      );
      expect(api.requests.filter((q) => q.method === "PATCH").map((q) => q.status)).toEqual([
        0, 0, 0, 0,
      ]);
      const r = await cut();
      expect(r.steps.find((s) => s.name === "attach the chart")?.status).toBe("done");
      await expectPublishedOnce();
    }, 120_000);

    it("an asset of that name with other bytes is refused, never replaced", async () => {
      const rel = store.add(REPO, { tag: "v0.2.0", name: "coffea-shoppe 0.2.0", draft: true });
      const other = Buffer.from("not the chart");
      rel.assets.push({
        id: store.nextAssetId++,
        name: "coffea-shoppe-0.2.0.tgz",
        label: null,
        contentType: "application/gzip",
        state: "uploaded",
        bytes: other,
      });
      const err = await failure();
      expect(err.exitCode).toBe(1);
      expect(err.message).toContain(
        "the release already has an asset coffea-shoppe-0.2.0.tgz with other bytes",
      );
      expect(err.message).toContain("never replaced");
      expect(rel.assets.map((a) => a.bytes)).toEqual([other]);
      expect(api.requests.filter((q) => q.method === "DELETE" || UPLOAD.test(q.path))).toEqual([]);
    }, 120_000);

    it("a server that puts the Authorization header into its error gets the token masked", async () => {
      api.inject({
        method: "POST",
        path: "/repos/CoffeaTeam/coffea-shoppe/releases",
        status: 401,
        echoAuthorization: true,
      });
      const err = await failure();
      expect(err.message).toContain("HTTP 401");
      expect(err.message).not.toContain(TOKEN);
      expect(JSON.stringify(err.outcomes)).not.toContain(TOKEN);
      expect(JSON.stringify(project.logger.lines)).not.toContain(TOKEN);
    }, 120_000);
  },
);
