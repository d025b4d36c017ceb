/**
 * `shoppe mirror create <dir>`: a mirror of everything the current stack needs to build where
 * its chart repositories cannot be reached. Every HTTP chart archive (first-party charts live
 * in the project) with an index.yaml per repository folder holding the pinned entries as
 * published, mirror.yaml (docs/mirrors.md), and images.txt: every image the umbrella deploys
 * under every profile, rendered from the new mirror itself, plus every image stack.yaml pins
 * (the kind node images included), one reference per line for an image-sync tool. The directory follows the ownership rule
 * (missing, empty, or carrying `.shoppe-mirror.json`) and is written aside, then renamed.
 */
import { cp, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { makeDirs } from "../fsx/make-dirs.js";
import { claimOwnedDir, type DirOwner, markerText } from "../fsx/owned-dir.js";
import { writeFailure } from "../fsx/owned-write.js";
import { deadScratch, scratchPath } from "../fsx/scratch.js";
import { DEPS_RECORD } from "../helm/deps-record.js";
import { newestKubeVersion, renderMatrix } from "../helm/render.js";
import {
  attributionScope,
  openUmbrella,
  selectProfiles,
  type Umbrella,
  type UmbrellaOptions,
} from "../helm/umbrella.js";
import { formatImageRef, parseImageRef, pinnedRef } from "../inspect/image-ref.js";
import { deployedImages } from "../inspect/images.js";
import {
  fillFromMirror,
  fillFromUpstream,
  type MirroredChart,
  writeMirrorIndexes,
} from "../mirror/fill.js";
import { loadMirror } from "../mirror/mirror-file.js";
import { refuseOciCharts } from "../mirror/mirror-helm.js";
import type { HelmMajor } from "../tools/helm.js";
import { chartDeps, type Substitution } from "./chart-deps.js";

/** `shoppe mirror create` as the owner of the mirrors it writes. */
export const MIRROR_OWNER: DirOwner = {
  marker: ".shoppe-mirror.json",
  generator: "shoppe mirror create",
  preserved: [],
};

/** The list of images for an image-sync tool, in the mirror. */
export const IMAGES_FILE = "images.txt";

/** Options of `mirror create`. */
export interface MirrorCreateOptions extends UmbrellaOptions {
  /** The mirror to write, relative to the project root. */
  dir: string;
  /** Copy from this mirror instead of the upstream repositories. */
  mirror?: string;
  major?: HelmMajor;
}

/** What `mirror create` wrote. */
export interface MirrorCreateResult {
  dir: string;
  /** `upstream` or the source mirror as given. */
  source: string;
  charts: Omit<MirroredChart, "published" | "substitute">[];
  substitutions: Substitution[];
  /** The lines of images.txt. */
  images: string[];
}

/**
 * Deployed (every profile, rendered from the new mirror) and pinned images, kind node images
 * included, sorted, unique.
 */
async function imagesOf(
  ctx: Context,
  u: Umbrella,
  mirror: string,
  o: MirrorCreateOptions,
): Promise<string[]> {
  await reapDead(u.chartDir, ["mirror"]);
  const copy = scratchPath(u.chartDir, "mirror");
  const skip = new Set(["charts", "Chart.lock", DEPS_RECORD].map((e) => path.join(u.chartDir, e)));
  // The copy sits beside the chart, so its `file://../<chart>` dependencies still resolve.
  await cp(u.chartDir, copy, { recursive: true, filter: (src) => !skip.has(src) });
  try {
    const chartDir = path.relative(ctx.root, copy);
    // Substitutes are reported once, by mirror create itself.
    const quiet = { ...ctx, logger: { ...ctx.logger, warn: ctx.logger.debug } };
    await chartDeps(quiet, { file: o.file, chartDir, mirror, major: o.major });
    const copied = await openUmbrella(ctx, { file: o.file, chartDir });
    const renderings = await renderMatrix(
      quiet,
      copied,
      selectProfiles(copied),
      [newestKubeVersion(copied)],
      {
        major: o.major,
      },
    );
    const scope = attributionScope(copied);
    const deployed = renderings.flatMap((r) =>
      deployedImages(r.objects, scope).map((d) => d.canonical),
    );
    const pinned = Object.values(u.stack.components).flatMap((c) =>
      c.images.map((img) => formatImageRef(pinnedRef(img))),
    );
    // The e2e tier's kind clusters run these, so a site without Docker Hub needs them too.
    const nodeImages = u.stack.kubernetes.versions.flatMap((k) =>
      k.kindNodeImage ? [formatImageRef(parseImageRef(k.kindNodeImage))] : [],
    );
    return [...new Set([...deployed, ...pinned, ...nodeImages])].sort();
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Removes the scratch directories of `kinds` that killed runs left beside `dir`. */
async function reapDead(dir: string, kinds: string[]): Promise<void> {
  const parent = path.dirname(dir);
  for (const { name } of deadScratch(dir, await readdir(parent), kinds)) {
    await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/** The substitutes among the mirrored charts. */
function substitutionsOf(charts: MirroredChart[]): Substitution[] {
  return charts.flatMap((c) => {
    if (!c.substitute) return [];
    const { component, chart, version, archive } = c;
    return [{ component, chart, version, reason: c.substitute, archive }];
  });
}

/** Puts `staged` in place of `out` (missing, empty or a previous mirror) by renames. */
async function replaceDir(out: string, staged: string, existed: boolean): Promise<void> {
  if (!existed) {
    await rename(staged, out);
    return;
  }
  const previous = scratchPath(out, "previous");
  await rename(out, previous);
  try {
    await rename(staged, out);
  } catch (err) {
    await rename(previous, out);
    throw err;
  }
  await rm(previous, { recursive: true, force: true });
}

/** Writes a mirror of the stack's charts and images into `options.dir`. */
export async function mirrorCreate(
  ctx: Context,
  options: MirrorCreateOptions,
): Promise<MirrorCreateResult> {
  const u = await openUmbrella(ctx, options);
  const out = path.resolve(ctx.root, options.dir);
  const source = options.mirror ? path.resolve(ctx.root, options.mirror) : undefined;
  if (source === out) {
    throw new UsageError(
      `failed to write the mirror ${options.dir}: it is the mirror to copy from; name another directory`,
    );
  }
  refuseOciCharts(u, `mirror ${u.chartShown}`);
  const found = await claimOwnedDir(out, MIRROR_OWNER, {
    root: ctx.root,
    shown: options.dir,
    verb: "write the mirror",
    hint: "name a new or empty directory, or one shoppe mirror create wrote",
  });
  const staged = scratchPath(out, "mirror");
  try {
    await makeDirs(path.dirname(out));
    await reapDead(out, ["mirror", "previous"]);
    await mkdir(staged);
  } catch (err) {
    throw writeFailure(err, { verb: "write the mirror", shown: options.dir });
  }
  try {
    const charts = source
      ? await fillFromMirror(u, await loadMirror(source, options.mirror), staged)
      : await fillFromUpstream(ctx, u, staged, options.major ?? "v4");
    const files = await writeMirrorIndexes(staged, charts);
    const list = await imagesOf(ctx, u, staged, options);
    await writeFile(path.join(staged, IMAGES_FILE), list.map((i) => `${i}\n`).join(""));
    await writeFile(
      path.join(staged, MIRROR_OWNER.marker),
      markerText(MIRROR_OWNER, [...files, IMAGES_FILE]),
    );
    await replaceDir(out, staged, found.state !== "missing");
    const substitutions = substitutionsOf(charts);
    for (const s of substitutions) {
      ctx.logger.warn(
        `${s.component}: ${s.chart} ${s.version} is a substitute, not the published chart: ${s.reason}`,
      );
    }
    return {
      dir: options.dir,
      source: options.mirror ?? "upstream",
      charts: charts.map(({ published: _p, substitute: _s, ...c }) => c),
      substitutions,
      images: list,
    };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
