/**
 * Which tag each pinned image takes in a new chart release, purely. A pin is found among the
 * images the current release names (same repository, or the same last path segment when
 * stack.yaml pins a mirror of it such as bitnamilegacy for bitnami; same tag) and takes the
 * tag the new release names at the same location. Without the current release's images, a
 * repository the new release names with one tag gives that tag. Anything else is reported,
 * never guessed.
 */
import { normaliseName } from "../inspect/image-ref.js";
import type { StackImage } from "../manifest/schema.js";
import type { ChartImage } from "./chart-images.js";

/** The outcome for one pin. */
export interface ImageBump {
  name: string;
  repository: string;
  from: string;
  /** The new tag (equal to `from` when the release keeps it); absent when not derivable. */
  to?: string;
  /** Why no tag could be derived. */
  unknown?: string;
}

const basename = (repo: string) => repo.split("/").at(-1) ?? repo;

/** Images of `images` naming `repository`: exact matches, else by last path segment. */
function sameRepository(images: ChartImage[], repository: string): ChartImage[] {
  const exact = images.filter((i) => i.repository === repository);
  return exact.length
    ? exact
    : images.filter((i) => basename(i.repository) === basename(repository));
}

function distinct(tags: string[]): string[] {
  return [...new Set(tags)].sort();
}

/** The new tag of `pin` given the current and new releases' images. */
export function bumpImage(
  pin: StackImage,
  current: ChartImage[] | undefined,
  next: ChartImage[],
): ImageBump {
  const repository = normaliseName(pin.repository);
  const base = { name: pin.name, repository: pin.repository, from: pin.tag };
  const at = sameRepository(current ?? [], repository).filter((i) => i.tag === pin.tag);
  if (at.length > 0) {
    const moved = at.flatMap((i) => next.filter((n) => n.location === i.location));
    const tags = distinct(moved.map((n) => n.tag));
    if (tags.length === 1) return { ...base, to: tags[0] as string };
    const where = at.map((i) => i.location).join(", ");
    if (tags.length === 0)
      return { ...base, unknown: `the new release names no image at ${where}` };
    return { ...base, unknown: `the new release names tags ${tags.join(", ")} at ${where}` };
  }
  const named = sameRepository(next, repository);
  const tags = distinct(named.map((n) => n.tag));
  if (tags.includes(pin.tag) && (!current || tags.length === 1)) return { ...base, to: pin.tag };
  if (tags.length === 1 && !current) return { ...base, to: tags[0] as string };
  if (tags.length === 0) {
    return { ...base, unknown: `neither release's metadata names ${pin.repository}` };
  }
  const why = current
    ? `the current release does not name ${pin.repository}:${pin.tag}, the new one names tags ${tags.join(", ")}`
    : `the new release names ${pin.repository} with tags ${tags.join(", ")}`;
  return { ...base, unknown: why };
}

/** Images the new release names that the current one did not (to pin by hand if deployed). */
export function newlyNamed(current: ChartImage[] | undefined, next: ChartImage[]): string[] {
  if (!current) return [];
  const before = new Set(current.map((i) => i.repository));
  return distinct(
    next.filter((n) => !before.has(n.repository)).map((n) => `${n.repository}:${n.tag}`),
  );
}
