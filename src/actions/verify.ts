/**
 * `shoppe verify`: every pinned chart, image and kind node image exists, with its digest (and
 * an image's platforms) as its source publishes it now; stack.lock records them. Without a lock
 * one is written; with one, a digest that changed under an unchanged pin is drift, and a lock
 * that does not describe the pins is stale (`--update-lock` rewrites it). Every problem is one
 * line naming the component (or the Kubernetes version) and the artefact.
 */
import path from "node:path";
import type { Context } from "../context.js";
import { chartSources } from "../helm/repositories.js";
import { loadStack } from "../manifest/load.js";
import type { Stack } from "../manifest/schema.js";
import { imageRepository, type OciRepository } from "../oci/reference.js";
import { driftProblems, mergeLock } from "../updates/drift.js";
import { Feeds } from "../updates/feeds.js";
import {
  formatLock,
  LOCK_FILE,
  type LockedImageEntry,
  readLock,
  type StackLock,
} from "../updates/lock.js";
import type { Problem } from "../updates/problems.js";
import { replaceFile } from "../updates/replace-file.js";
import {
  nodeImagePins,
  nodeImageRepository,
  resolveNodeImage,
} from "../updates/resolve-node-images.js";
import { type LockedImages, resolveChart, resolveImage } from "../updates/resolve-pins.js";
import { openUpstream, type Upstream, type UpstreamOptions } from "../updates/upstream.js";

/** Options of `verify`. */
export interface VerifyOptions extends UpstreamOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
  /** Lock path, relative to the project root; default stack.lock beside the manifest. */
  lock?: string;
  /** Rewrite the lock from this run instead of comparing with it. */
  updateLock?: boolean;
}

/** What `verify` found. */
export interface VerifyResult {
  file: string;
  lockFile: string;
  /** What the pins resolve to now. */
  resolved: StackLock;
  /** Whether stack.lock was (re)written. */
  written: boolean;
  /** Whether a lock was there to compare with (and was compared). */
  compared: boolean;
  problems: Problem[];
}

/** Resolves every pin, compares with stack.lock or writes it. */
export async function verify(ctx: Context, options: VerifyOptions = {}): Promise<VerifyResult> {
  const shown = options.file ?? "stack.yaml";
  const { stack } = await loadStack(path.resolve(ctx.root, shown), { shownAs: shown });
  const lockShown = options.lock ?? path.join(path.dirname(shown), LOCK_FILE);
  const lockPath = path.resolve(ctx.root, lockShown);
  const { file: _f, lock: _l, updateLock: _u, ...upstreamOptions } = options;
  const up = await openUpstream(ctx, upstreamOptions);
  const feeds = new Feeds(up);
  const sources = chartSources(stack);
  const nodes = nodeImagePins(stack);
  const images = Object.values(stack.components).reduce((n, c) => n + c.images.length, 0);
  const step = ctx.progress.start(
    `verify ${sources.length} charts, ${images} images and ${nodes.length} kind node images`,
  );
  // The registries' token requests go out first; the lock is read while they are answered.
  const [before] = await Promise.all([
    readLock(lockPath, lockShown, { rewrite: Boolean(options.updateLock) }),
    options.offline ? undefined : prepareRegistries(up, stack),
  ]);
  const known = lockedImages(before);
  const [entries, nodeEntries] = await Promise.all([
    Promise.all(
      Object.entries(stack.components).map(async ([id, c]) => {
        const source = sources.find((s) => s.component === id);
        const [chart, ...imgs] = await Promise.all([
          source ? resolveChart(feeds, source) : undefined,
          ...c.images.map((img) => resolveImage(up, id, img, known)),
        ]);
        return { id, chart, images: imgs };
      }),
    ),
    Promise.all(
      nodes.map((n) =>
        resolveNodeImage(
          up,
          n,
          before?.kubernetes?.find((k) => k.version === n.version),
        ),
      ),
    ),
  ]);
  const resolved: StackLock = {
    apiVersion: "shoppe.coffea-casa.io/v1alpha1",
    kind: "StackLock",
    ...(nodeEntries.length > 0 ? { kubernetes: nodeEntries.map((n) => n.entry) } : {}),
    components: Object.fromEntries(
      entries.map((e) => [
        e.id,
        { ...(e.chart ? { chart: e.chart.entry } : {}), images: e.images.map((i) => i.entry) },
      ]),
    ),
  };
  // stack.yaml's order: the Kubernetes versions come before the components.
  const problems = [
    ...nodeEntries.flatMap((n) => n.problems),
    ...entries.flatMap((e) => [
      ...(e.chart?.problems ?? []),
      ...e.images.flatMap((i) => i.problems),
    ]),
  ];
  const compared = Boolean(before) && !options.updateLock;
  if (before && compared) problems.push(...driftProblems(before, resolved));
  const written =
    !compared && (await replaceFile(lockPath, lockShown, formatLock(mergeLock(before, resolved))));
  const summary = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  if (problems.length > 0) step.fail(summary);
  else step.succeed(summary);
  return { file: shown, lockFile: lockShown, resolved, written, compared, problems };
}

/** The locked entry of each image reference. */
function lockedImages(lock: StackLock | undefined): LockedImages {
  const byImage = new Map<string, LockedImageEntry>();
  for (const c of Object.values(lock?.components ?? {}))
    for (const i of c.images) byImage.set(i.image, i);
  return (image) => byImage.get(image);
}

/** One token request per registry for all its repositories (see RegistryClient.prepare). */
async function prepareRegistries(up: Upstream, stack: Stack): Promise<void> {
  const byRegistry = new Map<string, string[]>();
  const add = (r: OciRepository) =>
    byRegistry.set(r.registry, [...(byRegistry.get(r.registry) ?? []), r.path]);
  for (const c of Object.values(stack.components)) {
    for (const img of c.images) add(imageRepository(img.repository));
  }
  for (const n of nodeImagePins(stack)) add(nodeImageRepository(n.image));
  await Promise.all(
    [...byRegistry].map(([registry, paths]) => up.registry.prepare(registry, paths)),
  );
}
