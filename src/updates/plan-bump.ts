/**
 * Plans the bump of one component: the target release (the policy's wanted one, the newest at
 * `--level`, or `--to`), then what follows from the new release's own metadata: its appVersion
 * and the tag of each pinned image (chart-images.ts, image-bumps.ts), and the chart values in
 * stack.yaml that repeat a changed image. The plan is a list of scalar edits of stack.yaml
 * plus everything that could not be derived, for the maintainer to settle.
 */
import semver from "semver";
import { UsageError } from "../errors.js";
import { readChartArchive } from "../helm/chart-archive.js";
import type { ChartSource } from "../helm/repositories.js";
import { formatPath } from "../manifest/positions.js";
import type { Stack } from "../manifest/schema.js";
import { annotationImages, type ChartImage, valuesImages } from "./chart-images.js";
import type { ChartRelease } from "./feeds.js";
import { bumpImage, type ImageBump, newlyNamed } from "./image-bumps.js";
import { type Level, offer } from "./policy.js";
import type { StackEdit } from "./stack-edit.js";
import { valueEdits } from "./value-edits.js";

/** What to bump to: a version, a level, or (neither) what the policy wants. */
export interface BumpTarget {
  to?: string;
  level?: Level;
}

/** The bump of one component. */
export interface BumpPlan {
  component: string;
  chart: string;
  from: string;
  to: string;
  appVersion?: { from: string; to: string };
  /** Where the image tags came from. */
  imagesFrom: "annotation" | "values" | "none";
  images: ImageBump[];
  /** Values in stack.yaml repeating a changed image (`where` is the dotted path). */
  values: (StackEdit & { where: string })[];
  /** Every edit of stack.yaml, in file order of their paths' components. */
  edits: StackEdit[];
  /** What could not be derived from the new release, one line each. */
  unknown: string[];
  /** Images the new release names that the current one did not. */
  newlyNamed: string[];
}

/** The release to bump to; undefined when the policy (or level) wants nothing newer. */
export function chooseTarget(
  stack: Stack,
  s: ChartSource,
  versions: string[],
  target: BumpTarget,
  origin: string,
): string | undefined {
  const policy = stack.components[s.component]?.updates;
  if (!policy) return undefined;
  if (target.to !== undefined) {
    if (!versions.includes(target.to)) {
      throw new UsageError(`--to ${target.to}: ${origin} lists no ${s.chart} ${target.to}`);
    }
    if (!semver.valid(target.to) || semver.lte(target.to, s.version)) {
      throw new UsageError(
        `--to ${target.to} is not newer than the pinned ${s.chart} ${s.version}`,
      );
    }
    return target.to;
  }
  const o = offer(s.version, versions, target.level ? { ...policy, track: target.level } : policy);
  return o.wanted;
}

/**
 * Images a release names, from its annotation or (lacking one) its archive's values; an
 * archive that cannot be fetched or read is not fatal (the caller reports the images as not
 * derived, with this reason).
 */
async function imagesOf(
  release: ChartRelease | undefined,
  from: "annotation" | "values",
): Promise<{ images?: ChartImage[]; why?: string }> {
  if (!release) return {};
  if (from === "annotation") return { images: annotationImages(release.annotations) };
  try {
    return { images: valuesImages(await readChartArchive(await release.archive())) };
  } catch (err) {
    return { why: err instanceof Error ? err.message : String(err) };
  }
}

/** Plans the bump of `s` to `to`, from `current` and `next` (the two releases). */
export async function planBump(
  stack: Stack,
  s: ChartSource,
  to: string,
  current: ChartRelease | undefined,
  next: ChartRelease,
): Promise<BumpPlan> {
  const c = stack.components[s.component];
  if (!c) throw new UsageError(`no component ${s.component} in the stack`);
  const at = ["components", s.component];
  const unknown: string[] = [];
  const edits: StackEdit[] = [{ path: [...at, "chart", "version"], value: to }];
  let appVersion: BumpPlan["appVersion"];
  if (next.appVersion) {
    if (next.appVersion !== c.appVersion) appVersion = { from: c.appVersion, to: next.appVersion };
    edits.push({ path: [...at, "appVersion"], value: next.appVersion });
  } else {
    unknown.push(`appVersion: ${s.chart} ${to} declares none; check ${c.appVersion} by hand`);
  }
  const annotated = annotationImages(next.annotations) !== undefined;
  const imagesFrom = annotated ? "annotation" : "values";
  const { images: nextImages, why: unread } = await imagesOf(next, imagesFrom);
  const { images: currentImages } = await imagesOf(current, imagesFrom);
  let images: ImageBump[] = [];
  if (!nextImages) {
    const why = `${s.chart} ${to} has no artifacthub.io/images annotation and its archive could not be read (${unread})`;
    if (c.images.length) unknown.push(`images: ${why}; check every image tag by hand`);
  } else {
    images = c.images.map((img) => bumpImage(img, currentImages, nextImages));
  }
  images.forEach((b, i) => {
    if (b.to !== undefined) edits.push({ path: [...at, "images", i, "tag"], value: b.to });
    else unknown.push(`image ${b.name} (${b.repository}:${b.from}): ${b.unknown}`);
  });
  const changes = images
    .filter((b): b is ImageBump & { to: string } => b.to !== undefined && b.to !== b.from)
    .map((b) => ({ repository: b.repository, from: b.from, to: b.to }));
  const values = valueEdits(stack, s.component, changes).map((e) => ({
    ...e,
    where: formatPath(e.path),
  }));
  return {
    component: s.component,
    chart: s.chart,
    from: s.version,
    to,
    ...(appVersion ? { appVersion } : {}),
    imagesFrom: nextImages ? imagesFrom : "none",
    images,
    values,
    edits: [...edits, ...values],
    unknown,
    newlyNamed: nextImages ? newlyNamed(currentImages, nextImages) : [],
  };
}
