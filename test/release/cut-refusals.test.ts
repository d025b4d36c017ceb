/**
 * What `release` refuses and how the CLI says it: a dirty work tree, a stale chart, nothing to
 * release, --publish without a token (exit 2, one line), and the plan as text and JSON.
 */
import { appendFile, chmod, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { releaseCut } from "../../src/actions/release.js";
import { render } from "../../src/actions/render.js";
import { CheckFailedError } from "../../src/errors.js";
import { ReleaseStepError } from "../../src/release/cut/steps.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools, toolPath } from "../helpers/tools.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";

describeWithTools("release: refusals and the command line", ["helm", "git"], () => {
  let project: ReleaseProject;
  beforeEach(async () => {
    project = await createReleaseProject();
  }, 60_000);
  afterEach(async () => project?.close());

  const env = () => ({
    PATH: toolPath(),
    GIT_AUTHOR_NAME: "T",
    GIT_AUTHOR_EMAIL: "t@example.org",
    GIT_COMMITTER_NAME: "T",
    GIT_COMMITTER_EMAIL: "t@example.org",
  });

  it("refuses a dirty work tree", async () => {
    await writeFile(path.join(project.root, "notes.txt"), "draft\n");
    const err = await releaseCut(project.context(), { local: true }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(err.message).toBe(
      "failed to cut a release: the work tree has uncommitted changes (?? notes.txt); commit or remove them first: a release is made from commits",
    );
  });

  it("a cut stopped before its commit reverts its own edits, says git's reason, and the rerun finishes", async () => {
    const hook = path.join(project.root, ".git", "hooks", "pre-commit");
    await writeFile(hook, "#!/bin/sh\necho 'pre-commit: refused by the hook' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const o = { local: true, offline: true, ...(project.mirror ? { mirror: project.mirror } : {}) };
    const err = await releaseCut(project.context(), o).catch((e) => e);
    expect(err).toBeInstanceOf(ReleaseStepError);
    expect(err.outcomes.find((s: { status: string }) => s.status === "failed")?.name).toBe(
      "commit",
    );
    expect(err.message).toContain("  | pre-commit: refused by the hook");
    expect(err.message).toContain(
      "the release's uncommitted edits were reverted (CHANGELOG.md, charts/coffea-shoppe/Chart.yaml, charts/coffea-shoppe/README.md, charts/coffea-shoppe/values.yaml, release-changes.yaml, stack.yaml), so the work tree is clean again: run the same command again to finish the release v0.2.0",
    );
    expect(await project.git.status()).toEqual([]);
    await rm(hook);
    const r = await releaseCut(project.context(), o);
    expect(r.steps.filter((s) => s.status !== "applied")).toEqual([]);
    expect(await project.git.tagInfo("v0.2.0")).toEqual({
      commit: await project.git.resolve("HEAD"),
      annotated: true,
    });
  }, 120_000);

  it("packages anew when the tag was deleted and cut again on another commit", async () => {
    const o = { local: true, offline: true, ...(project.mirror ? { mirror: project.mirror } : {}) };
    const first = await releaseCut(project.context(), o);
    await project.git.run(["tag", "--delete", "v0.2.0"]);
    await project.git.run(["reset", "--quiet", "--hard", "HEAD~1"]);
    const stack = path.join(project.root, "stack.yaml");
    await writeFile(
      stack,
      (await readFile(stack, "utf8")).replace(
        "description: XRootD proxy file cache",
        "description: An XRootD proxy file cache",
      ),
    );
    await render(project.context(), {});
    await project.git.run(["commit", "-qam", "describe XCache"]);
    const again = await releaseCut(project.context(), o);
    expect(again.steps.find((s) => s.name === "package the chart")?.status).toBe("applied");
    expect(again.archive?.sha256).not.toBe(first.archive?.sha256);
    expect(
      (await readFile(path.join(project.root, `${again.archive?.file}.commit`), "utf8")).trim(),
    ).toBe(await project.git.resolve("refs/tags/v0.2.0"));
  }, 120_000);

  it("refuses a stale chart", async () => {
    const stack = path.join(project.root, "stack.yaml");
    await writeFile(
      stack,
      (await readFile(stack, "utf8")).replace(
        "description: XRootD proxy file cache",
        "description: An XRootD proxy file cache",
      ),
    );
    await project.git.run(["commit", "-qam", "describe XCache"]);
    const err = await releaseCut(project.context(), { local: true }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(err.message).toMatch(
      /^failed to cut a release: charts\/coffea-shoppe is stale \(modified: .*\); run shoppe render and commit the chart first$/,
    );
  });

  it("plans as text and JSON, and refuses --publish without a token, exit 2", async () => {
    const text = await runCli(["release", "plan"], project.root, env());
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("  minor  xcache upgraded a minor step 0.1.0 -> 0.2.0");
    expect(text.stdout).toContain("next version: 0.2.0 (tag v0.2.0)");
    const json = JSON.parse(
      (await runCli(["release", "plan", "--json", "--pre", "rc"], project.root, env())).stdout,
    );
    expect([json.version, json.level, json.previous.tag]).toEqual([
      "0.2.0-rc.1",
      "minor",
      "v0.1.0",
    ]);
    const bad = await runCli(
      ["release", "cut", "--publish", "--offline", "--github-repo", "o/r"],
      project.root,
      env(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--publish needs a GitHub token in GITHUB_TOKEN (or SHOPPE_GITHUB_TOKEN)",
    );
    const dry = await runCli(["release", "cut", "--offline"], project.root, env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("dry run of v0.2.0:");
    expect(dry.stdout).toContain(
      "~ push to the OCI registry: helm push coffea-shoppe-0.2.0.tgz oci://ghcr.io/coffeateam/charts",
    );
    expect(await project.git.status()).toEqual([]);
  });

  it("has nothing to release right after a release, and says so", async () => {
    await releaseCut(project.context(), {
      local: true,
      offline: true,
      ...(project.mirror ? { mirror: project.mirror } : {}),
    });
    await appendFile(path.join(project.root, "README.md"), "x\n");
    await project.git.run(["add", "README.md"]);
    await project.git.run(["commit", "-qm", "docs"]);
    const r = await runCli(["release", "cut", "--offline"], project.root, env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "failed to plan a release: nothing changed since v0.2.0; give --version to release anyway",
    );
  }, 60_000);
});
