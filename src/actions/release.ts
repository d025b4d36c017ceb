/**
 * `shoppe release plan|notes|cut`. The plan compares stack.yaml with the one at the last
 * release tag (real git) and proposes the next version (src/release/plan.ts); the notes render
 * the release's texts from the Handlebars templates with the upstream highlights and the e2e
 * results; `cut` (release-cut.ts) makes and publishes the release.
 */
import { lstat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { InputError, UsageError } from "../errors.js";
import { githubToken, openGitHub } from "../github/client.js";
import { kindOf } from "../io/fs-failure.js";
import { loadStack } from "../manifest/load.js";
import type { Stack } from "../manifest/schema.js";
import { loadMirror } from "../mirror/mirror-file.js";
import { releaseHistory, releaseTag, stackAt } from "../release/history.js";
import { type NotesData, notesData } from "../release/notes/data.js";
import { type ReleaseTexts, renderTexts } from "../release/notes/render.js";
import { type ResultSummary, readResults, summariseResults } from "../release/notes/results.js";
import { loadTemplates } from "../release/notes/templates.js";
import { planRelease, type ReleasePlan } from "../release/plan.js";
import { type ReleaseTargets, releaseTargets, type TargetOptions } from "../release/targets.js";
import { type ComponentHighlights, componentHighlights } from "../release/upstream/highlights.js";
import { type Git, openGit } from "../tools/git.js";

export { type ReleaseCutOptions, type ReleaseCutResult, releaseCut } from "./release-cut.js";

/** Options of `release plan`. */
export interface ReleasePlanOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
  /** Pre-release identifier (`rc`). */
  pre?: string;
  /** A version instead of the proposed one. */
  version?: string;
  /** A release tag on HEAD to leave out of the history (a release being resumed). */
  resuming?: string;
}

/** What `release plan` found. */
export interface ReleasePlanResult extends ReleasePlan {
  file: string;
  /** The commit planned from. */
  head: string;
}

/** Opens the project's repository; a project outside git cannot be released. */
export async function projectGit(ctx: Context): Promise<{ git: Git; head: string }> {
  const git = openGit(ctx.runner, ctx.root);
  const head = await git.resolve("HEAD");
  if (!head) {
    throw new InputError(
      `failed to read the release history: ${ctx.root} is not a git repository with a commit; releases are cut from git (tags v<version>)`,
    );
  }
  return { git, head };
}

/** Plans the next release from git and stack.yaml. */
export async function releasePlan(
  ctx: Context,
  options: ReleasePlanOptions = {},
): Promise<ReleasePlanResult & { stack: Stack; git: Git }> {
  const file = options.file ?? "stack.yaml";
  const { stack } = await loadStack(path.resolve(ctx.root, file), { shownAs: file });
  const { git, head } = await projectGit(ctx);
  const history = await releaseHistory(git, "HEAD", options.resuming);
  const rel = path.relative(ctx.root, path.resolve(ctx.root, file)).split(path.sep).join("/");
  const previous = history.last
    ? { ...history.last, stack: await stackAt(git, history.last.tag, rel) }
    : undefined;
  const plan = planRelease({
    ...(previous ? { previous } : {}),
    current: stack,
    tagged: history.versions,
    ...(options.pre ? { pre: options.pre } : {}),
    ...(options.version ? { version: options.version } : {}),
  });
  return { ...plan, file, head, stack, git };
}

/** Options of `release notes` (and the texts `release cut` writes). */
export interface ReleaseNotesOptions extends ReleasePlanOptions, TargetOptions {
  /** A directory whose templates replace the package's (by file name). */
  templates?: string;
  /** e2e results files. */
  results?: string[];
  /** A mirror whose `git:` entries hold upstream histories. */
  mirror?: string;
  /** Read nothing from GitHub. */
  offline?: boolean;
  /** Files to write the notes and the announcement to (relative to the project root). */
  notesFile?: string;
  announcementFile?: string;
  /** Scales GitHub's waits (tests). */
  timeScale?: number;
}

/** A planned release with its texts. */
export interface PreparedRelease {
  plan: ReleasePlanResult & { version: string; tag: string };
  stack: Stack;
  git: Git;
  targets: ReleaseTargets;
  data: NotesData;
  texts: ReleaseTexts;
  highlights: ComponentHighlights[];
  /** Where each template came from. */
  templates: Record<string, string>;
}

/** What `release notes` rendered. */
export interface ReleaseNotesResult extends ReleaseTexts {
  version: string;
  tag: string;
  /** Files written. */
  written: string[];
  templates: Record<string, string>;
}

/** Plans the release and renders its texts (nothing is written). */
export async function prepareRelease(
  ctx: Context,
  o: ReleaseNotesOptions,
  planned?: ReleasePlanResult & { stack: Stack; git: Git },
): Promise<PreparedRelease> {
  const p = planned ?? (await releasePlan(ctx, o));
  if (!p.version || !p.tag) {
    throw new UsageError(
      `failed to plan a release: ${p.because}; give --version to release anyway`,
    );
  }
  const plan = { ...p, version: p.version, tag: p.tag };
  const targets = releaseTargets(o, ctx.env, p.stack.release.home);
  const templates = await loadTemplates(
    o.templates ? path.resolve(ctx.root, o.templates) : undefined,
    o.templates,
  );
  const token = githubToken(ctx.env);
  const github = o.offline
    ? undefined
    : await openGitHub(
        {
          api: targets.api,
          ...(token ? { token } : {}),
          retries: 1,
          ...(o.timeScale ? { timeScale: o.timeScale } : {}),
        },
        ctx,
      );
  const mirror = o.mirror
    ? await loadMirror(path.resolve(ctx.root, o.mirror), o.mirror)
    : undefined;
  const step = ctx.progress.start("read upstream highlights");
  const highlights: ComponentHighlights[] = [];
  for (const c of plan.diff.components) {
    highlights.push(
      await componentHighlights(c, {
        ctx,
        ...(mirror ? { mirror } : {}),
        ...(github ? { github } : {}),
        ...(plan.previous ? { project: { git: p.git, from: plan.previous.tag, to: p.head } } : {}),
      }),
    );
  }
  step.succeed(`${highlights.length} component(s)`);
  const results: ResultSummary[] = [];
  for (const f of o.results ?? [])
    results.push(summariseResults(f, await readResults(ctx.root, f), plan.version));
  const data = notesData({ plan, stack: p.stack, highlights, results, targets, now: ctx.now() });
  const texts = renderTexts(templates, data);
  return {
    plan,
    stack: p.stack,
    git: p.git,
    targets,
    data,
    texts,
    highlights,
    templates: templates.origins,
  };
}

/** Renders the release notes and the announcement (and writes them when asked). */
export async function releaseNotes(
  ctx: Context,
  o: ReleaseNotesOptions = {},
): Promise<ReleaseNotesResult> {
  const r = await prepareRelease(ctx, o);
  const written: string[] = [];
  for (const [file, flag, text] of [
    [o.notesFile, "--notes-file", r.texts.notes],
    [o.announcementFile, "--announcement-file", r.texts.announcement],
  ] as const) {
    if (!file) continue;
    await writeNewFile(path.resolve(ctx.root, file), `${file} (${flag})`, text);
    written.push(file);
  }
  return {
    version: r.plan.version,
    tag: releaseTag(r.plan.version),
    ...r.texts,
    written,
    templates: r.templates,
  };
}

/**
 * Writes `text` to a file that must not exist yet: an existing file (a project file named by
 * mistake), a symlink (written through, it would land elsewhere) or a FIFO (the write would
 * wait for a reader) is refused, never replaced. `wx` keeps that true if one appears meanwhile.
 */
async function writeNewFile(target: string, shown: string, text: string): Promise<void> {
  const there = await lstat(target).catch(() => undefined);
  if (there) {
    throw new UsageError(
      `failed to write ${shown}: it exists (${kindOf(there)}); name a new file, or print to stdout and redirect`,
    );
  }
  await writeFile(target, text, { flag: "wx" }).catch((err: NodeJS.ErrnoException) => {
    const why =
      err.code === "ENOENT"
        ? "its directory does not exist; create it first"
        : err.code === "EEXIST"
          ? "it exists; name a new file"
          : `${err.code ?? err.message}; check that its directory is writable`;
    throw new UsageError(`failed to write ${shown}: ${why}`, { cause: err });
  });
}
