/**
 * Release notes: upstream highlights from the real Coffea-Casa history (the shared mirror's
 * git bundle), from GitHub releases and from GitHub's compare (the fake API), trimmed; the
 * templates with hostile text (escaped for Markdown, HTML and YAML), overridden templates,
 * e2e results, and the changelog entry.
 */

import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createContext } from "../../src/context.js";
import { openGitHub } from "../../src/github/client.js";
import { RecordingLogger } from "../../src/log.js";
import { StackSchema } from "../../src/manifest/schema.js";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { changelogHas, prependEntry } from "../../src/release/cut/local.js";
import { notesData } from "../../src/release/notes/data.js";
import { renderTexts } from "../../src/release/notes/render.js";
import { readResults, summariseResults } from "../../src/release/notes/results.js";
import { loadTemplates } from "../../src/release/notes/templates.js";
import { planRelease } from "../../src/release/plan.js";
import type { ComponentChange } from "../../src/release/stack-diff.js";
import { releaseTargets } from "../../src/release/targets.js";
import { componentHighlights } from "../../src/release/upstream/highlights.js";
import { trimCommits, trimReleaseBodies } from "../../src/release/upstream/trim.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { ReleaseStore, registerReleaseHandlers } from "../support/github-api/releases.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api/server.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { UPSTREAM_SOURCE, upstreamMissing } from "../support/upstream-mirror.js";

const change = (c: Partial<ComponentChange>): ComponentChange => ({
  id: "x",
  displayName: "X",
  kind: "upgraded",
  level: "minor",
  images: [],
  settings: [],
  github: "o/x",
  ...c,
});

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir("notes");
});
afterAll(async () => dir?.remove());

describe("trimming", () => {
  it("drops merges and bots, keeps first lines, caps with a count", () => {
    const c = (subject: string, author = "dev", parents = 1) => ({
      sha: subject,
      author,
      subject,
      parents,
    });
    const t = trimCommits(
      [
        c("Merge pull request #9 from x/y", "dev", 2),
        c("Bump x from 1 to 2", "dependabot[bot]"),
        c("[pre-commit.ci] auto fixes"),
        c("Fix the hub"),
        c("Add docs"),
        c("Fix the hub"),
      ],
      1,
    );
    expect(t).toEqual({ items: ["Fix the hub"], more: 1 });
  });

  it("takes the bullets of release bodies without authors, URLs, contributors or the changelog link", () => {
    const body = [
      "## What's Changed",
      "* Fix transformer retries by @alice in https://github.com/ssl-hep/ServiceX/pull/812",
      "* Bump requests from 2.31 to 2.32 by @dependabot[bot] in https://github.com/ssl-hep/ServiceX/pull/813",
      "- Faster DID lookups",
      "## New Contributors",
      "* @bob made their first contribution in https://github.com/ssl-hep/ServiceX/pull/800",
      "",
      "**Full Changelog**: https://github.com/ssl-hep/ServiceX/compare/v1.5.2...v1.5.3",
    ].join("\n");
    expect(trimReleaseBodies([body])).toEqual({
      items: ["Fix transformer retries (#812)", "Faster DID lookups"],
      more: 0,
    });
  });
});

describeWithTools("highlights from the real Coffea-Casa history", ["git"], () => {
  it.skipIf(upstreamMissing())(
    "reads the commits between two tags of the mirror's bundle",
    async () => {
      const ctx = createContext({ root: dir.path });
      const mirror = await loadMirror(UPSTREAM_SOURCE);
      const h = await componentHighlights(
        change({
          id: "coffea-casa",
          displayName: "Coffea-Casa",
          github: "CoffeaTeam/coffea-casa",
          chart: { name: "coffea-casa", from: "2026.625.2", to: "2026.812.2", step: "minor" },
          appVersion: { from: "2026.06.25.2", to: "2026.08.12.2" },
        }),
        { ctx, mirror, cap: 5 },
      );
      expect(h).toMatchObject({
        source: "commits",
        fromTag: "2026.06.25.2",
        toTag: "2026.08.12.2",
        compareUrl: "https://github.com/CoffeaTeam/coffea-casa/compare/2026.06.25.2...2026.08.12.2",
        releaseUrl: "https://github.com/CoffeaTeam/coffea-casa/releases/tag/2026.08.12.2",
        more: 3,
      });
      expect(h.items).toEqual([
        "Update broken logic caused by Claude overthinking everything (#504)",
        "Pin docker version (#503)",
        "After introducing new set of images in af-images we need to build diverse set of setups 0.7, dak and no dak (#502)",
        "Add containerssh docs",
        "Revert image debudding and add tool-cache: false (#500)",
      ]);
    },
  );
});

describe("highlights through the GitHub API (the fake)", () => {
  const TOKEN = "notes-test-token-0123456789";
  let api: GitHubApi;
  let store: ReleaseStore;
  beforeAll(async () => {
    api = await startGitHubApi(TOKEN);
    store = new ReleaseStore();
    registerReleaseHandlers(api.router, api.url, store);
    for (const [name, tags] of [
      ["ssl-hep/ServiceX", ["v1.5.1", "v1.5.2", "v1.5.3"]],
      ["CoffeaTeam/coffea-casa", ["2026.06.25.2", "2026.08.12.2"]],
    ] as const) {
      const repo = api.state.seed(name, { "README.md": "x" });
      for (const t of tags) repo.refs.set(`tags/${t}`, "0".repeat(40));
    }
    store.add("ssl-hep/ServiceX", {
      tag: "v1.5.1",
      body: "* Old change by @a in https://github.com/ssl-hep/ServiceX/pull/700",
    });
    store.add("ssl-hep/ServiceX", { tag: "v1.5.2", body: "* Keep me out: the old pin" });
    store.add("ssl-hep/ServiceX", {
      tag: "v1.5.3",
      body: "## What's Changed\n* Fix retries by @alice in https://github.com/ssl-hep/ServiceX/pull/812",
    });
    store.add("ssl-hep/ServiceX", { tag: "v1.6.0-draft", draft: true, body: "* Not yet" });
    store.compares.set("CoffeaTeam/coffea-casa 2026.06.25.2...2026.08.12.2", [
      {
        sha: "a".repeat(40),
        message: "Pin docker version (#503)\n\nlong body",
        author: "oshadura",
        parents: 1,
      },
      {
        sha: "b".repeat(40),
        message: "Merge pull request #504 from x",
        author: "oshadura",
        parents: 2,
      },
    ]);
  });
  afterAll(async () => api?.close());

  const ctx = () => createContext({ root: dir.path, logger: new RecordingLogger() });
  const gh = (c: ReturnType<typeof ctx>) =>
    openGitHub({ api: api.url, token: TOKEN, timeScale: 0.001 }, c);

  it("takes the bodies of the releases after the old pin up to the new one", async () => {
    const c = ctx();
    const h = await componentHighlights(
      change({
        github: "ssl-hep/ServiceX",
        chart: { name: "servicex", from: "1.5.2", to: "1.5.3", step: "patch" },
        appVersion: { from: "1.5.2", to: "1.5.3" },
      }),
      { ctx: c, github: await gh(c) },
    );
    expect(h).toMatchObject({
      source: "github-releases",
      fromTag: "v1.5.2",
      toTag: "v1.5.3",
      items: ["Fix retries (#812)"],
    });
  });

  it("falls back to the compare API's commits where the project publishes tags only", async () => {
    const c = ctx();
    const h = await componentHighlights(
      change({
        github: "CoffeaTeam/coffea-casa",
        chart: { name: "coffea-casa", from: "2026.625.2", to: "2026.812.2" },
        appVersion: { from: "2026.06.25.2", to: "2026.08.12.2" },
      }),
      { ctx: c, github: await gh(c) },
    );
    expect(h).toMatchObject({ source: "commits", items: ["Pin docker version (#503)"], more: 0 });
  });

  it("says so where neither tag exists, with the releases page to read instead", async () => {
    const c = ctx();
    const h = await componentHighlights(
      change({ github: "nobody/nothing", appVersion: { from: "1", to: "2" } }),
      { ctx: c, github: await gh(c) },
    );
    expect(h).toMatchObject({
      source: "none",
      items: [],
      releaseUrl: "https://github.com/nobody/nothing/releases",
    });
  });
});

describe("templates", () => {
  const HOSTILE =
    "<script>alert(1)</script> | *bold* [x](javascript:alert(1)) `tick` #1\nnext line";
  const stack = StackSchema.parse(parse(readFileSync(path.join(ROOT, "stack.yaml"), "utf8")));
  const hostile = structuredClone(stack);
  if (hostile.components.mlflow) {
    hostile.components.mlflow.displayName = HOSTILE;
    if (hostile.components.mlflow.chart) hostile.components.mlflow.chart.version = "2.0.0";
  }
  const plan = planRelease({
    previous: { tag: "v0.1.0", version: "0.1.0", commit: "c", stack },
    current: hostile,
    tagged: [],
  });
  const targets = releaseTargets({}, {}, "https://github.com/CoffeaTeam/coffea-shoppe");
  const data = (results = [] as ReturnType<typeof summariseResults>[]) =>
    notesData({
      plan: { ...plan, version: plan.version ?? "", tag: plan.tag ?? "" },
      stack: hostile,
      highlights: [
        {
          id: "mlflow",
          source: "commits",
          note: HOSTILE,
          items: [HOSTILE, "Fix #12 and (#13)"],
          more: 2,
          releaseUrl: "https://github.com/community-charts/helm-charts/releases/tag/mlflow-2.0.0",
          compareUrl:
            "https://github.com/community-charts/helm-charts/compare/mlflow-1.11.5...mlflow-2.0.0",
        },
      ],
      results,
      targets,
      now: new Date("2026-12-01T23:59:59Z"),
    });

  it("escape hostile text for Markdown, keep table rows whole, and say a major step breaks", async () => {
    const t = await loadTemplates();
    const out = renderTexts(t, data());
    expect(out.notes.startsWith("# coffea-shoppe 1.0.0\n\nReleased 2026-12-01.")).toBe(true);
    for (const text of [out.notes, out.announcement, out.changelogEntry]) {
      expect(text).not.toContain("<script>");
      expect(text).not.toMatch(/(?<!\\)\]\(javascript:/); // an escaped \] is text, not a link
      expect(text).not.toContain("\nnext line");
    }
    const row =
      out.notes.split("\n").find((l) => l.includes("alert(1)") && l.startsWith("|")) ?? "";
    expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(7);
    expect(out.notes).toContain("> [!WARNING]");
    expect(out.notes).toContain("[\\#12](https://github.com/community-charts/helm-charts/pull/12)");
    expect(out.notes).toContain(
      "…and 2 more: [compare](https://github.com/community-charts/helm-charts/compare/mlflow-1.11.5...mlflow-2.0.0)",
    );
    // YAML: the hostile description reads back as the text it was.
    expect(out.changes[0]?.description).toBe(`${HOSTILE} 1.11.5 → 2.0.0`);
  });

  it("register their helpers once per environment, and a --templates directory replaces a template by name", async () => {
    const own = path.join(dir.path, "own");
    await mkdir(own, { recursive: true });
    await writeFile(
      path.join(own, "release-notes.md.hbs"),
      "Custom {{version}}: {{#each changed}}{{displayName}}{{/each}}\n",
    );
    const t = await loadTemplates(own, "own");
    expect(t.origins["release-notes.md.hbs"]).toBe("own/release-notes.md.hbs");
    expect(t.origins["announcement.md.hbs"]).toBe("templates/announcement.md.hbs");
    expect(t.helpers).toEqual(
      expect.arrayContaining(["md", "code", "link", "cell", "yaml", "refs"]),
    );
    // Plain {{ }} escapes for HTML.
    expect(renderTexts(t, data()).notes).toBe(
      "Custom 1.0.0: &lt;script&gt;alert(1)&lt;/script&gt; | *bold* [x](javascript:alert(1)) &#x60;tick&#x60; #1\nnext line\n",
    );
    await writeFile(path.join(own, "announcement.md.hbs"), "{{#each}}");
    await expect(loadTemplates(own, "own")).rejects.toThrow(
      /^failed to compile own\/announcement\.md\.hbs/,
    );
  });

  it("show e2e results, and a run of another chart version as such", async () => {
    const file = path.join(dir.path, "results.json");
    const result = {
      apiVersion: "shoppe.coffea-casa.io/v1alpha1",
      kind: "E2eResults",
      runId: "r1",
      status: "passed",
      tier: "control-plane",
      startedAt: "2026-12-01T10:00:00Z",
      finishedAt: "2026-12-01T10:05:00Z",
      durationMs: 300000,
      provider: {
        name: "kwok",
        chosenBecause: "--provider",
        runsContainers: false,
        realControlPlane: true,
      },
      kubernetes: { version: "1.35.4" },
      profile: "ci",
      stack: { file: "stack.yaml", digest: "sha256:0", release: "coffea-shoppe", version: "0.9.0" },
      chart: { name: "coffea-shoppe", version: "0.9.0", dependencies: [] },
      tools: {},
      components: [{ id: "xcache", status: "passed", workloads: [] }],
      checks: [
        {
          name: "endpoints",
          component: "xcache",
          phase: "smoke",
          needs: ["live-service"],
          status: "skipped",
          reason: "pods are simulated",
          durationMs: 1,
          evidence: [],
        },
      ],
      warnings: [],
      teardown: { status: "done" },
    };
    await writeFile(file, JSON.stringify(result));
    const s = summariseResults(
      "results.json",
      await readResults(dir.path, "results.json"),
      "1.0.0",
    );
    const notes = renderTexts(await loadTemplates(), data([s])).notes;
    expect(notes).toContain(
      "| 1.35.4 | passed (chart 0.9.0, not this release) | control-plane | kwok | xcache: passed | 0 passed, 0 failed, 1 skipped, 0 not run |",
    );
    await writeFile(file, "{}");
    await expect(readResults(dir.path, "results.json")).rejects.toThrow(
      /^failed to read results\.json: not an e2e results file/,
    );
  });
});

describe("the changelog", () => {
  it("gets each entry on top of the older ones, under its header, once", () => {
    const one = prependEntry("", "## [0.1.0](u) (2026-01-01)\n\n- first\n");
    expect(one.startsWith("# Changelog\n")).toBe(true);
    const two = prependEntry(one, "## [0.2.0](u) (2026-02-01)\n\n- second\n");
    expect(two.indexOf("[0.2.0]")).toBeLessThan(two.indexOf("[0.1.0]"));
    expect(changelogHas(two, "0.2.0")).toBe(true);
    expect(changelogHas(two, "0.2")).toBe(false);
  });
});
