/**
 * Resolves every pin of the stack to what its source publishes now: a chart to the digest its
 * repository index publishes (or its OCI manifest digest), an image to the digest of the
 * manifest or index its tag points to (HEAD with every manifest media type) and the platforms
 * it is published for. Whatever cannot be checked is kept as unresolved with the reason; a
 * digest is never made up.
 */
import type { ChartSource } from "../helm/repositories.js";
import type { StackImage } from "../manifest/schema.js";
import { FetchError } from "../net/fetch-error.js";
import { platformsOf } from "../oci/platforms.js";
import { formatRepository, imageRepository } from "../oci/reference.js";
import type { Feeds } from "./feeds.js";
import type { LockedChartEntry, LockedImageEntry } from "./lock.js";
import type { Problem } from "./problems.js";
import type { Upstream } from "./upstream.js";

/** A resolution and the problems found on the way. */
export interface Resolved<T> {
  entry: T;
  problems: Problem[];
}

/** Why a failed request leaves the artefact unresolved, or that it is missing. */
export function classify(err: unknown): { missing: boolean; reason: string } {
  if (!(err instanceof FetchError)) throw err;
  return { missing: err.failure === "not-found", reason: err.reason };
}

/** The chart `s` pins, with the digest its source publishes. */
export async function resolveChart(
  feeds: Feeds,
  s: ChartSource,
): Promise<Resolved<LockedChartEntry>> {
  const artefact = `chart ${s.chart} ${s.version}`;
  if (s.kind === "local") {
    return { entry: { path: s.location, name: s.chart, version: s.version }, problems: [] };
  }
  const base = { repository: s.location, name: s.chart, version: s.version };
  const problem = (kind: Problem["kind"], message: string): Problem => ({
    component: s.component,
    artefact,
    kind,
    message,
  });
  try {
    const feed = await feeds.feed(s);
    const release = await feed.release(s.chart, s.version);
    if (!release) {
      const why = `${feed.origin} does not list it`;
      return { entry: { ...base, unresolved: why }, problems: [problem("missing", why)] };
    }
    if (!release.digest) {
      const why = `${feed.origin} publishes no digest for it`;
      return { entry: { ...base, unresolved: why }, problems: [problem("unresolved", why)] };
    }
    return { entry: { ...base, digest: release.digest }, problems: [] };
  } catch (err) {
    const { missing, reason } = classify(err);
    return {
      entry: { ...base, unresolved: reason },
      problems: [problem(missing ? "missing" : "unresolved", reason)],
    };
  }
}

/** What stack.lock recorded for an image reference (`registry/path:tag`), if anything. */
export type LockedImages = (image: string) => LockedImageEntry | undefined;

/**
 * The digest, media type and platforms `img` resolves to. With a locked entry for the same
 * reference a HEAD suffices (Docker Hub does not count it as a pull) and the locked platforms
 * stand while the digest is unchanged; otherwise the manifest is read by tag at once.
 */
async function manifestOf(up: Upstream, img: StackImage, locked: LockedImageEntry | undefined) {
  const repo = imageRepository(img.repository);
  if (locked?.digest && locked.platforms) {
    const head = await up.registry.head(repo, img.tag);
    const mediaType = head.mediaType ?? locked.mediaType;
    if (head.digest === locked.digest)
      return { digest: head.digest, mediaType, platforms: locked.platforms };
    const m = await up.registry.manifest(repo, head.digest);
    return { digest: head.digest, mediaType, platforms: await platformsOf(up.registry, repo, m) };
  }
  const m = await up.registry.manifest(repo, img.tag);
  return {
    digest: m.digest,
    mediaType: m.mediaType,
    platforms: await platformsOf(up.registry, repo, m),
  };
}

/** The image `img` of `component`, its digest and platforms, checked against its declaration. */
export async function resolveImage(
  up: Upstream,
  component: string,
  img: StackImage,
  lock: LockedImages,
): Promise<Resolved<LockedImageEntry>> {
  const repo = imageRepository(img.repository);
  const image = `${formatRepository(repo)}:${img.tag}`;
  const artefact = `image ${img.name} ${image}`;
  const problem = (kind: Problem["kind"], message: string): Problem => ({
    component,
    artefact,
    kind,
    message,
  });
  try {
    const { digest, mediaType, platforms } = await manifestOf(up, img, lock(image));
    const entry: LockedImageEntry = {
      name: img.name,
      image,
      digest,
      ...(mediaType ? { mediaType } : {}),
      platforms,
    };
    const problems: Problem[] = [];
    if (img.digest && img.digest !== digest) {
      problems.push(
        problem("drift", `stack.yaml pins ${img.digest}, the tag now points to ${digest}`),
      );
    }
    for (const p of img.platforms ?? []) {
      if (!platforms.includes(p)) {
        const published = platforms.length ? platforms.join(", ") : "none reported";
        problems.push(
          problem(
            "platform",
            `${p} is declared in stack.yaml but not published (published: ${published})`,
          ),
        );
      }
    }
    return { entry, problems };
  } catch (err) {
    const { missing, reason } = classify(err);
    return {
      entry: { name: img.name, image, unresolved: reason },
      problems: [problem(missing ? "missing" : "unresolved", reason)],
    };
  }
}
