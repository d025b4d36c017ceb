/**
 * The local steps of a release, in the project's work tree: the version in stack.yaml (one
 * scalar edited, comments kept: src/updates/stack-edit.ts), release-changes.yaml, the
 * re-rendered chart, the CHANGELOG.md entry, the release commit and the annotated tag. Each
 * finds itself done on a rerun.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { render } from "../../actions/render.js";
import type { ArtifactHubChange } from "../../chart/chart-yaml.js";
import type { Context } from "../../context.js";
import { CheckFailedError } from "../../errors.js";
import type { Git } from "../../tools/git.js";
import { replaceFile } from "../../updates/replace-file.js";
import { editStack } from "../../updates/stack-edit.js";
import { CHANGES_FILE, changesFileText } from "../changes-file.js";
import type { ReleaseStep } from "./steps.js";

/** The changelog file, at the project root. */
export const CHANGELOG = "CHANGELOG.md";

const CHANGELOG_HEADER = `# Changelog\n\nEvery release of this stack, newest first (written by \`shoppe release cut\`; see docs/releasing.md).\n`;

/** The heading a release's changelog entry starts with (`## [0.2.0]…`). */
export function changelogHas(text: string, version: string): boolean {
  const escaped = version.replace(/[.+]/g, "\\$&");
  return new RegExp(`^## \\[?${escaped}\\]?[ (]`, "m").test(text);
}

/** `text` (a changelog, maybe empty) with `entry` before its newest entry. */
export function prependEntry(text: string, entry: string): string {
  const current = text.trim() ? text : CHANGELOG_HEADER;
  const at = current.search(/^## /m);
  const body = `${entry.trimEnd()}\n`;
  if (at < 0) return `${current.trimEnd()}\n\n${body}`;
  return `${current.slice(0, at)}${body}\n${current.slice(at)}`;
}

/** What the local steps work with. */
export interface LocalRelease {
  ctx: Context;
  git: Git;
  /** Manifest path relative to the root. */
  file: string;
  /** The chart directory relative to the root. */
  chartPath: string;
  version: string;
  tag: string;
  changes: ArtifactHubChange[];
  changelogEntry: string;
  /** The tag's message. */
  tagMessage: string;
}

const read = (file: string) => readFile(file, "utf8").catch(() => "");

/** The paths the local steps write and commit (relative to the root). */
export function releaseFiles(file: string, chartPath: string): string[] {
  return [file, CHANGES_FILE, CHANGELOG, chartPath];
}

/**
 * Puts `files` back as HEAD has them, after a cut that stopped before its commit; returns the
 * paths it reverted. Safe because a cut starts from a clean work tree: every change to them
 * is the cut's own, and a rerun starts clean instead of meeting its own edits as dirt.
 */
export async function revertUncommitted(git: Git, files: string[]): Promise<string[]> {
  const changed = (await git.run(["status", "--porcelain", "--", ...files]))
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
  if (changed.length === 0) return [];
  await git.run(["reset", "--quiet", "HEAD", "--", ...files]);
  const tracked = (await git.run(["diff", "--name-only", "-z", "HEAD", "--", ...files]))
    .split("\0")
    .filter(Boolean);
  if (tracked.length > 0) await git.run(["checkout", "--quiet", "HEAD", "--", ...tracked]);
  await git.run(["clean", "--quiet", "--force", "-d", "--", ...files]);
  return changed;
}

/** The local steps, in order. */
export function localSteps(r: LocalRelease): ReleaseStep[] {
  const at = (f: string) => path.join(r.ctx.root, f);
  const changesText = changesFileText(r.version, r.changes);
  const files = releaseFiles(r.file, r.chartPath);
  return [
    {
      name: "set the version",
      describe: () => `release.version in ${r.file} → ${r.version} (comments kept)`,
      done: async () => {
        const text = await read(at(r.file));
        return editStack(text, [{ path: ["release", "version"], value: r.version }], r.file) ===
          text
          ? `${r.file} says ${r.version}`
          : undefined;
      },
      apply: async () => {
        const text = await read(at(r.file));
        const next = editStack(text, [{ path: ["release", "version"], value: r.version }], r.file);
        await replaceFile(at(r.file), r.file, next);
        return `${r.file}: release.version ${r.version}`;
      },
    },
    {
      name: "record the changes",
      describe: () => `${CHANGES_FILE}: ${r.changes.length} artifacthub.io/changes entries`,
      done: async () =>
        (await read(at(CHANGES_FILE))) === changesText ? `${CHANGES_FILE} is current` : undefined,
      apply: async () => {
        await replaceFile(at(CHANGES_FILE), CHANGES_FILE, changesText);
        return `wrote ${CHANGES_FILE}`;
      },
    },
    {
      name: "render the chart",
      describe: () => `shoppe render ${r.chartPath}`,
      checkInDryRun: false,
      done: async () => {
        const check = await render(r.ctx, { file: r.file, check: true });
        return check.changed ? undefined : `${check.chartPath} is up to date`;
      },
      apply: async () => {
        const done = await render(r.ctx, { file: r.file });
        return `rendered ${done.chartPath} (${done.differences.length} file(s) changed)`;
      },
    },
    {
      name: "update the changelog",
      describe: () => `prepend the ${r.version} entry to ${CHANGELOG}`,
      done: async () =>
        changelogHas(await read(at(CHANGELOG)), r.version)
          ? `${CHANGELOG} has ${r.version}`
          : undefined,
      apply: async () => {
        await replaceFile(
          at(CHANGELOG),
          CHANGELOG,
          prependEntry(await read(at(CHANGELOG)), r.changelogEntry),
        );
        return `${CHANGELOG}: entry ${r.version}`;
      },
    },
    {
      name: "commit",
      describe: () => `commit ${files.join(", ")} as "Release ${r.tag}"`,
      checkInDryRun: false,
      done: async () => {
        const pending = await r.git.run(["status", "--porcelain", "--", ...files]);
        return pending.trim() ? undefined : "nothing left to commit";
      },
      apply: async () => {
        await r.git.run(["add", "--", ...files]);
        await r.git.run(["commit", "--quiet", "-m", `Release ${r.tag}`, "--", ...files]);
        return `committed ${(await r.git.resolve("HEAD"))?.slice(0, 12)}`;
      },
    },
    {
      name: "tag",
      describe: () => `annotated tag ${r.tag} on the release commit`,
      done: async () => {
        const t = await r.git.tagInfo(r.tag);
        if (!t) return undefined;
        const head = await r.git.resolve("HEAD");
        if (t.commit !== head) {
          throw new CheckFailedError(
            `failed to tag ${r.tag}: the tag exists at ${t.commit.slice(0, 12)}, not at HEAD ${head?.slice(0, 12)}; a published tag is never moved: release another version`,
          );
        }
        return `${r.tag} is at HEAD`;
      },
      apply: async () => {
        await r.git.run(["tag", "--annotate", r.tag, "--file", "-"], { input: r.tagMessage });
        return `tagged ${r.tag}`;
      },
    },
  ];
}
