/**
 * `shoppe render`: stack.yaml → charts/<release name>/. Loads the manifest (bad input is an
 * InputError with positions), generates the chart purely, then either compares it with the
 * chart on disk (`check`) or writes it atomically. Rendering never fetches dependencies. The
 * output directory must be render's own (src/fsx/owned-dir.ts): missing, empty, or carrying
 * the marker of an earlier render and nothing it did not write.
 */
import path from "node:path";
import type { ArtifactHubChange } from "../chart/chart-yaml.js";
import { generateUmbrella } from "../chart/generate.js";
import {
  type ChartFs,
  diffCharts,
  type FileChange,
  nodeChartFs,
  RENDER_OWNER,
  readChartDir,
  recoverInterruptedWrite,
  writeChartAtomically,
} from "../chart/writer.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { claimOwnedDir, inspectOwnedDir, markerText } from "../fsx/owned-dir.js";
import { physicalPath } from "../fsx/physical-path.js";
import { loadStack } from "../manifest/load.js";
import { readReleaseChanges } from "../release/changes-file.js";

/** Options for render. */
export interface RenderOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
  /** Chart directory, relative to the project root; default charts/<release name>. */
  output?: string;
  /** Compare the chart on disk with a fresh render instead of writing. */
  check?: boolean;
  /** Aborting stops the write before its rename and removes the temporary directory. */
  signal?: AbortSignal;
}

/** What a render did or found. */
export interface RenderResult {
  /** The manifest, as given. */
  file: string;
  /** Absolute chart directory. */
  chartDir: string;
  /** The chart directory relative to the project root, for messages. */
  chartPath: string;
  /** Files of a fresh render, relative to chartDir, sorted. */
  files: string[];
  /** True when the chart on disk differed (or, under check, differs) from a fresh render. */
  changed: boolean;
  /** True when files were written (never under check, nor when nothing changed). */
  written: boolean;
  /** Whether this was a check. */
  check: boolean;
  /** Per-file differences between the chart on disk and the fresh render. */
  differences: FileChange[];
  /** Unified diff from the chart on disk to the fresh render; "" when equal. */
  diff: string;
}

/** Internals a test may replace. */
export interface RenderDeps {
  fs?: ChartFs;
  changes?: ArtifactHubChange[];
}

/** Renders (or checks) the umbrella chart. */
export async function render(
  ctx: Context,
  options: RenderOptions = {},
  deps: RenderDeps = {},
): Promise<RenderResult> {
  const fs = deps.fs ?? nodeChartFs;
  if (options.output?.trim() === "") {
    throw new UsageError("--output is empty; name the chart directory to write");
  }
  const shown = options.file ?? "stack.yaml";
  const loaded = await loadStack(path.resolve(ctx.root, shown), { shownAs: shown });
  const output = options.output ?? path.join("charts", loaded.stack.release.name);
  const chartDir = path.resolve(ctx.root, output);
  const step = ctx.progress.start(
    options.check ? `check ${rel(ctx, chartDir)}` : `render ${rel(ctx, chartDir)}`,
  );
  try {
    // The chart's relative paths (file:// dependencies, the README's commands) are computed
    // between physical paths, so the same project renders the same bytes however the root or
    // the output is spelled (through a link to the project, say).
    const [stackDir, physicalChartDir] = await Promise.all([
      physicalPath(loaded.dir),
      physicalPath(chartDir),
    ]);
    const { files } = generateUmbrella(
      { ...loaded, dir: stackDir },
      {
        chartDir: physicalChartDir,
        // The release being cut records its changes beside stack.yaml (release cut writes it).
        changes:
          deps.changes ?? (await readReleaseChanges(loaded.dir, loaded.stack.release.version)),
      },
    );
    // A render killed between its renames left the chart aside; put it back before comparing
    // (a --check only reads, and reports what is on disk).
    if (!options.check) await recoverInterruptedWrite(chartDir, fs);
    const use = {
      root: ctx.root,
      shown: output,
      verb: options.check ? "check" : "render into",
      hint: `shoppe render writes only a directory that is missing, empty or one it rendered (it holds ${RENDER_OWNER.marker}); name another with -o (a chart an older shoppe rendered has no marker: move it aside and render again)`,
    };
    // --check reads a directory with strangers (they show as removed); a write refuses it.
    const owned = options.check
      ? await inspectOwnedDir(chartDir, RENDER_OWNER, use)
      : await claimOwnedDir(chartDir, RENDER_OWNER, use);
    const current = withoutMarker(await readChartDir(chartDir, output));
    const { changes, patch } = diffCharts(current, files);
    const changed = changes.length > 0;
    const markerStale = owned.markerText !== markerText(RENDER_OWNER, Object.keys(files));
    const written = !options.check && (changed || markerStale);
    if (written) await writeChartAtomically(chartDir, files, { fs, signal: options.signal });
    step.succeed(summary(changes, Boolean(options.check)));
    ctx.logger.debug(`render: ${Object.keys(files).length} files for ${rel(ctx, chartDir)}`);
    return {
      file: shown,
      chartDir,
      chartPath: rel(ctx, chartDir),
      files: Object.keys(files),
      changed,
      written,
      check: Boolean(options.check),
      differences: changes,
      diff: patch,
    };
  } catch (err) {
    step.fail();
    throw err;
  }
}

/** The chart on disk without render's marker, which is bookkeeping, not chart content. */
function withoutMarker(
  files: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!files) return files;
  const { [RENDER_OWNER.marker]: _marker, ...rest } = files;
  return rest;
}

function rel(ctx: Context, dir: string): string {
  return path.relative(ctx.root, dir) || ".";
}

function summary(changes: FileChange[], check: boolean): string {
  if (changes.length === 0) return "up to date";
  return `${changes.length} file${changes.length === 1 ? "" : "s"} ${check ? "differ" : "changed"}`;
}
