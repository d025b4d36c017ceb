/**
 * `shoppe release cut`: the whole release as ordered, resumable steps (src/release/cut/):
 * version, changes, render, changelog, commit and tag in the work tree; the chart packaged
 * reproducibly from the tag; then, with `publish`, the tag pushed, the GitHub release with
 * the notes and the archive, the gh-pages index entry and the OCI artefact. Without
 * `publish` (or `local`) it is a dry run that changes nothing. A rerun finds what is done.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { CheckFailedError, UsageError } from "../errors.js";
import { githubToken, openGitHub } from "../github/client.js";
import { loadStack } from "../manifest/load.js";
import { localSteps, releaseFiles, revertUncommitted } from "../release/cut/local.js";
import { type PackagedChart, packaged, packageRelease } from "../release/cut/package.js";
import { type ReleaseStep, runSteps, type StepOutcome } from "../release/cut/steps.js";
import { releaseTag } from "../release/history.js";
import { publishSteps } from "../release/publish/steps.js";
import { openHelm } from "../tools/helm.js";
import { prepareRelease, projectGit, type ReleaseNotesOptions, releasePlan } from "./release.js";
import { render } from "./render.js";

/** Options of `release cut`. */
export interface ReleaseCutOptions extends ReleaseNotesOptions {
  /** Do everything, publishing included. */
  publish?: boolean;
  /** Do the local steps and package, publish nothing (a pushed tag lets CI publish). */
  local?: boolean;
  signal?: AbortSignal;
}

/** What `release cut` did (or, in a dry run, would do). */
export interface ReleaseCutResult {
  version: string;
  tag: string;
  dryRun: boolean;
  /** True when HEAD already carried the release's tag (a rerun finishing the publication). */
  resumed: boolean;
  steps: StepOutcome[];
  archive?: { file: string; sha256: string; bytes: number };
  /** Where the notes and the announcement were written (not in a dry run). */
  notesFile?: string;
  announcementFile?: string;
  notes: string;
}

/** Where a release's own files go, relative to the project root. */
export function releaseWorkDir(tag: string): string {
  return path.join(".shoppe", "release", tag);
}

async function preflight(ctx: Context, o: ReleaseCutOptions, file: string) {
  const { git } = await projectGit(ctx);
  // .shoppe/ holds shoppe's own caches and work files, never part of a release.
  const dirty = await git.status([".shoppe"]);
  if (dirty.length > 0) {
    throw new CheckFailedError(
      `failed to cut a release: the work tree has uncommitted changes (${dirty.slice(0, 5).join("; ")}${dirty.length > 5 ? "; …" : ""}); commit or remove them first: a release is made from commits`,
    );
  }
  const check = await render(ctx, { file, check: true, ...(o.signal ? { signal: o.signal } : {}) });
  if (check.changed) {
    throw new CheckFailedError(
      `failed to cut a release: ${check.chartPath} is stale (${check.differences.map((d) => `${d.change}: ${d.path}`).join(", ")}); run shoppe render and commit the chart first`,
    );
  }
  const { stack } = await loadStack(path.resolve(ctx.root, file), { shownAs: file });
  const current = releaseTag(stack.release.version);
  const tagged = await git.tagInfo(current);
  const resuming = tagged && tagged.commit === (await git.resolve("HEAD")) ? current : undefined;
  return { git, resuming, version: stack.release.version };
}

/** Cuts (or describes) the release. */
export async function releaseCut(
  ctx: Context,
  o: ReleaseCutOptions = {},
): Promise<ReleaseCutResult> {
  if (o.publish && o.local)
    throw new UsageError("--local publishes nothing: give --publish or --local, not both");
  const file = o.file ?? "stack.yaml";
  const pre = await preflight(ctx, o, file);
  if (pre.resuming && o.version && o.version !== pre.version) {
    throw new UsageError(
      `HEAD is the release ${pre.resuming}: --version ${o.version} cannot be cut from it`,
    );
  }
  const planned = await releasePlan(ctx, {
    ...o,
    ...(pre.resuming ? { resuming: pre.resuming, version: pre.version } : {}),
  });
  const r = await prepareRelease(ctx, o, planned);
  const { version, tag } = r.plan;
  const dryRun = !o.publish && !o.local;
  const token = githubToken(ctx.env);
  if (o.publish && !token) {
    throw new UsageError("--publish needs a GitHub token in GITHUB_TOKEN (or SHOPPE_GITHUB_TOKEN)");
  }
  if (token) ctx.redactor.add(token);
  const work = path.resolve(ctx.root, releaseWorkDir(tag));
  const chartPath = path.join("charts", r.stack.release.name);
  const archive = path.join(work, `${r.stack.release.name}-${version}.tgz`);
  const state: { chart?: PackagedChart } = {};
  const steps: ReleaseStep[] = pre.resuming
    ? []
    : localSteps({
        ctx,
        git: r.git,
        file,
        chartPath,
        version,
        tag,
        changes: r.texts.changes,
        changelogEntry: r.texts.changelogEntry,
        tagMessage: `${r.stack.release.name} ${version}\n\n${r.texts.changelogEntry}`,
      });
  steps.push({
    name: "package the chart",
    describe: () =>
      `chart deps${o.mirror ? ` --mirror ${o.mirror}` : ""} and helm package from ${tag} into ${path.relative(ctx.root, archive)}`,
    done: async () => {
      state.chart = await packaged(archive, await r.git.resolve(`refs/tags/${tag}`));
      return state.chart
        ? `${path.relative(ctx.root, archive)} (sha256 ${state.chart.sha256})`
        : undefined;
    },
    apply: async () => {
      await mkdir(work, { recursive: true });
      state.chart = await packageRelease({
        ctx,
        git: r.git,
        tag,
        file,
        chartPath,
        archive,
        ...(o.mirror ? { mirror: o.mirror } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      return `${path.relative(ctx.root, archive)} (sha256 ${state.chart.sha256})`;
    },
  });
  if (!o.local) {
    const gh = token
      ? await openGitHub(
          { api: r.targets.api, token, ...(o.timeScale ? { timeScale: o.timeScale } : {}) },
          ctx,
        )
      : undefined;
    steps.push(
      ...publishSteps({
        ctx,
        git: r.git,
        gh,
        helm: () => openHelm(ctx, "v4"),
        targets: r.targets,
        tag,
        version,
        chartName: r.stack.release.name,
        title: `${r.stack.release.name} ${version}`,
        notes: r.texts.notes,
        prerelease: version.includes("-"),
        workDir: work,
        chart: () => state.chart,
      }),
    );
  }
  const outcomes = await runSteps(steps, {
    dryRun,
    progress: ctx.progress,
    resumeHint: async (done) => {
      const again = `run the same command again to finish the release ${tag}`;
      const committed = done.some(
        (s) => s.name === "commit" && (s.status === "applied" || s.status === "done"),
      );
      if (dryRun || pre.resuming || committed)
        return `nothing done is undone: ${again} from this step`;
      // Stopped before the release commit: its edits go, so the rerun's clean-tree check passes.
      const files = releaseFiles(file, chartPath);
      const reverted = await revertUncommitted(r.git, files).catch(() => undefined);
      if (reverted === undefined)
        return `the release's uncommitted edits could not be reverted: revert them (git checkout HEAD -- ${files.join(" ")}; git clean -fd -- ${files.join(" ")}), then ${again}`;
      return `${reverted.length > 0 ? `the release's uncommitted edits were reverted (${reverted.join(", ")}), so the work tree is clean again: ` : ""}${again}`;
    },
  });
  const written = dryRun ? undefined : await writeTexts(work, r.texts.notes, r.texts.announcement);
  return {
    version,
    tag,
    dryRun,
    resumed: Boolean(pre.resuming),
    steps: outcomes,
    ...(state.chart
      ? { archive: { ...state.chart, file: path.relative(ctx.root, state.chart.file) } }
      : {}),
    ...(written
      ? {
          notesFile: path.relative(ctx.root, written.notesFile),
          announcementFile: path.relative(ctx.root, written.announcementFile),
        }
      : {}),
    notes: r.texts.notes,
  };
}

async function writeTexts(work: string, notes: string, announcement: string) {
  await mkdir(work, { recursive: true });
  const notesFile = path.join(work, "release-notes.md");
  const announcementFile = path.join(work, "announcement.md");
  await writeFile(notesFile, notes);
  await writeFile(announcementFile, announcement);
  return { notesFile, announcementFile };
}
