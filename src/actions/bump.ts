/**
 * `shoppe bump`: moves components to newer chart releases. Each bump is planned from the new
 * release's own metadata (plan-bump.ts) and applied to stack.yaml as scalar edits that keep
 * every other byte (stack-edit.ts); the edited manifest must load before it replaces the old
 * one, then the real `render` action renders the umbrella. With `pr`, nothing local changes:
 * each component gets its own pull request (a dry run unless `publish`).
 */
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Context } from "../context.js";
import { InputError, UsageError } from "../errors.js";
import { githubApi, githubToken } from "../github/client.js";
import { type ChartSource, chartSources } from "../helm/repositories.js";
import { readInputText } from "../io/read-input.js";
import { loadStack } from "../manifest/load.js";
import type { Stack } from "../manifest/schema.js";
import { FetchError } from "../net/fetch-error.js";
import { Feeds } from "../updates/feeds.js";
import { openPullRequest, type PullRequestOutcome } from "../updates/github-pr.js";
import { type BumpPlan, type BumpTarget, chooseTarget, planBump } from "../updates/plan-bump.js";
import { type ChangedFile, renderedChanges } from "../updates/pr-render.js";
import { prBody, prBranch, prTitle } from "../updates/pr-text.js";
import { replaceFile } from "../updates/replace-file.js";
import { editStack } from "../updates/stack-edit.js";
import { openUpstream, type UpstreamOptions } from "../updates/upstream.js";
import { render } from "./render.js";

/** Options of `bump`. */
export interface BumpOptions extends UpstreamOptions, BumpTarget {
  file?: string;
  /** The components to bump; empty with `all`. */
  components?: string[];
  /** Every component the policy (or `level`) moves. */
  all?: boolean;
  /** One pull request per component instead of editing the working tree. */
  pr?: boolean;
  /** Really open the pull requests (otherwise describe them). */
  publish?: boolean;
  /** `owner/name`; default $GITHUB_REPOSITORY. */
  githubRepo?: string;
  /** Default $GITHUB_API_URL, else https://api.github.com. */
  githubApi?: string;
  /** Base branch of the pull requests; default the repository's default branch. */
  base?: string;
}

/** One pull request, opened, found, or described by a dry run. */
export interface BumpPullRequest {
  component: string;
  branch: string;
  title: string;
  body: string;
  files: { path: string; change: ChangedFile["change"] }[];
  dryRun: boolean;
  outcome?: PullRequestOutcome;
}

/** What `bump` did. */
export interface BumpResult {
  file: string;
  bumps: BumpPlan[];
  /** Components left as they are, and why. */
  skipped: { component: string; reason: string }[];
  /** Components whose source failed (with --all). */
  failed: { component: string; reason: string }[];
  /** Whether stack.yaml and the chart were written (not with `pr`). */
  written: boolean;
  /** Unified diff of stack.yaml. */
  stackDiff: string;
  /** Unified diff of the umbrella chart, as the render changed it. */
  chartDiff: string;
  pullRequests: BumpPullRequest[];
}

/** The components to bump, checked: remote charts only. */
function selected(stack: Stack, sources: ChartSource[], o: BumpOptions): ChartSource[] {
  const names = o.components ?? [];
  if (o.all && (names.length > 0 || o.to)) {
    throw new UsageError(
      "--all bumps every component under its policy: name no component and no --to",
    );
  }
  if (!o.all && names.length !== 1)
    throw new UsageError("name one component to bump, or use --all");
  if (o.to !== undefined && o.level !== undefined)
    throw new UsageError("give --to or --level, not both");
  if (o.all) return sources.filter((s) => s.kind !== "local");
  const id = names[0] as string;
  if (!stack.components[id]) {
    throw new UsageError(
      `no component "${id}" in the stack (components: ${Object.keys(stack.components).join(", ")})`,
    );
  }
  const s = sources.find((x) => x.component === id);
  if (!s) throw new UsageError(`component "${id}" has no chart to bump`);
  if (s.kind === "local") {
    throw new UsageError(
      `component "${id}" uses the first-party chart ${s.location}: it has no upstream releases; change its version in ${s.location}/Chart.yaml and stack.yaml`,
    );
  }
  return [s];
}

/** Plans every selected component; with --all a failing source is recorded, not fatal. */
async function planAll(stack: Stack, feeds: Feeds, sources: ChartSource[], o: BumpOptions) {
  const bumps: BumpPlan[] = [];
  const skipped: BumpResult["skipped"] = [];
  const failed: BumpResult["failed"] = [];
  await Promise.all(
    sources.map(async (s) => {
      try {
        const feed = await feeds.feed(s);
        const to = chooseTarget(stack, s, feed.versions(s.chart), o, feed.origin);
        if (!to) {
          const policy = stack.components[s.component]?.updates;
          const level = o.level ?? policy?.track;
          skipped.push({ component: s.component, reason: `no newer release up to ${level} level` });
          return;
        }
        // The current release only sharpens the image matching: without it, bump still runs.
        const [current, next] = await Promise.all([
          feed.release(s.chart, s.version).catch(() => undefined),
          feed.release(s.chart, to),
        ]);
        if (!next)
          throw new FetchError(
            feed.origin,
            "invalid",
            `lists ${s.chart} ${to} but has no entry for it`,
          );
        bumps.push(await planBump(stack, s, to, current, next));
      } catch (err) {
        if (!o.all || !(err instanceof FetchError || err instanceof InputError)) throw err;
        failed.push({ component: s.component, reason: (err as Error).message });
      }
    }),
  );
  const order = Object.keys(stack.components);
  const byOrder = (a: { component: string }, b: { component: string }) =>
    order.indexOf(a.component) - order.indexOf(b.component);
  return {
    bumps: bumps.sort(byOrder),
    skipped: skipped.sort(byOrder),
    failed: failed.sort(byOrder),
  };
}

/** The options that say how to reach upstream. */
function upstreamOf(o: BumpOptions): UpstreamOptions {
  const { mirror, registryAuth, signal, offline, timeoutMs, retries, concurrency } = o;
  return { mirror, registryAuth, signal, offline, timeoutMs, retries, concurrency };
}

/** Bumps the selected components. */
export async function bump(ctx: Context, options: BumpOptions = {}): Promise<BumpResult> {
  const shown = options.file ?? "stack.yaml";
  const absolute = path.resolve(ctx.root, shown);
  const { stack } = await loadStack(absolute, { shownAs: shown });
  const text = await readInputText(absolute, { shown });
  const sources = selected(stack, chartSources(stack), options);
  const feeds = new Feeds(await openUpstream(ctx, upstreamOf(options)));
  const step = ctx.progress.start(`plan the bump of ${sources.map((s) => s.component).join(", ")}`);
  const planned = await planAll(stack, feeds, sources, options).catch((err) => {
    step.fail();
    throw err;
  });
  step.succeed(`${planned.bumps.length} to bump`);
  const base = {
    file: shown,
    ...planned,
    written: false,
    stackDiff: "",
    chartDiff: "",
    pullRequests: [],
  };
  if (planned.bumps.length === 0) return base;
  if (options.pr)
    return { ...base, pullRequests: await pullRequests(ctx, options, shown, text, planned.bumps) };
  const edited = editStack(
    text,
    planned.bumps.flatMap((b) => b.edits),
    shown,
  );
  // The edited manifest must load before it replaces the old one.
  await replaceFile(absolute, shown, edited, async (aside) => {
    await loadStack(aside, { shownAs: `${shown} (bumped)` });
  });
  const rendered = await render(ctx, { file: shown });
  return {
    ...base,
    written: true,
    stackDiff: createTwoFilesPatch(shown, shown, text, edited, "", "", { context: 2 }),
    chartDiff: rendered.diff,
  };
}

/** One pull request per bump, from the manifest as it is now. */
async function pullRequests(
  ctx: Context,
  o: BumpOptions,
  shown: string,
  text: string,
  bumps: BumpPlan[],
): Promise<BumpPullRequest[]> {
  const target = o.publish ? githubTarget(ctx, o) : undefined;
  const out: BumpPullRequest[] = [];
  for (const b of bumps) {
    const files = await renderedChanges(ctx, shown, editStack(text, b.edits, shown));
    const spec = { branch: prBranch(b), title: prTitle(b), body: prBody(b), files };
    const pr: BumpPullRequest = {
      component: b.component,
      branch: spec.branch,
      title: spec.title,
      body: spec.body,
      files: files.map((f) => ({ path: f.path, change: f.change })),
      dryRun: !target,
    };
    if (target)
      pr.outcome = await openPullRequest(target, spec, {
        logger: ctx.logger,
        redactor: ctx.redactor,
      });
    out.push(pr);
  }
  return out;
}

/** The repository, API and token for --publish, from the options and the environment. */
function githubTarget(ctx: Context, o: BumpOptions) {
  const repository = o.githubRepo ?? ctx.env.GITHUB_REPOSITORY;
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new UsageError(
      `--publish needs the GitHub repository as owner/name: set --github-repo (or SHOPPE_GITHUB_REPO, or GITHUB_REPOSITORY)${repository ? `; got "${repository}"` : ""}`,
    );
  }
  const token = githubToken(ctx.env);
  if (!token)
    throw new UsageError("--publish needs a GitHub token in GITHUB_TOKEN (or SHOPPE_GITHUB_TOKEN)");
  return {
    repository,
    api: githubApi(o.githubApi ?? ctx.env.GITHUB_API_URL ?? "https://api.github.com"),
    token,
    ...(o.base ? { base: o.base } : {}),
  };
}
