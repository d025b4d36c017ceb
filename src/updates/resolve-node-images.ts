/**
 * Resolves the kind node image each Kubernetes version pins. The pin carries its digest, so a
 * HEAD on the manifest by that digest proves the registry still serves it, and serves it as
 * those bytes. Its platforms come from stack.lock while the locked digest is the pinned one (a
 * digest names fixed bytes); otherwise the manifest or index is read by digest (its bytes
 * checked against it) and its platforms reported. A node image that cannot be checked is kept
 * as unresolved with the reason.
 */
import { formatImageRef, parseImageRef } from "../inspect/image-ref.js";
import type { Stack } from "../manifest/schema.js";
import { platformsOf } from "../oci/platforms.js";
import { imageRepository, type OciRepository } from "../oci/reference.js";
import { nodeImageArtefact, nodeImageComponent } from "./drift.js";
import type { LockedNodeImageEntry } from "./lock.js";
import type { Problem } from "./problems.js";
import { classify, type Resolved } from "./resolve-pins.js";
import type { Upstream } from "./upstream.js";

/** A Kubernetes version and the node image stack.yaml pins for it. */
export interface NodeImagePin {
  version: string;
  /** `[registry/]kindest/node:vX.Y.Z@sha256:…` as written. */
  image: string;
}

/** Every kind node image stack.yaml pins, in its order. */
export function nodeImagePins(stack: Stack): NodeImagePin[] {
  return stack.kubernetes.versions.flatMap((k) =>
    k.kindNodeImage ? [{ version: k.version, image: k.kindNodeImage }] : [],
  );
}

/** The repository a node image pin is pulled from (`docker.io/kindest/node` by default). */
export function nodeImageRepository(image: string): OciRepository {
  return imageRepository(parseImageRef(image).name);
}

/** What the registry serves for `digest`: a HEAD when the lock already has its platforms. */
async function served(
  up: Upstream,
  repo: OciRepository,
  digest: string,
  locked: LockedNodeImageEntry | undefined,
) {
  if (locked?.digest === digest && locked.platforms) {
    const head = await up.registry.head(repo, digest);
    const mediaType = head.mediaType ?? locked.mediaType;
    return { digest: head.digest, mediaType, platforms: locked.platforms };
  }
  const m = await up.registry.manifest(repo, digest);
  return {
    digest: m.digest,
    mediaType: m.mediaType,
    platforms: await platformsOf(up.registry, repo, m),
  };
}

/** The node image `pin` names, checked by its digest; `locked` is stack.lock's entry. */
export async function resolveNodeImage(
  up: Upstream,
  pin: NodeImagePin,
  locked: LockedNodeImageEntry | undefined,
): Promise<Resolved<LockedNodeImageEntry>> {
  const ref = parseImageRef(pin.image);
  const image = formatImageRef(ref);
  // The schema requires a digest (KIND_NODE_IMAGE): kind's release notes publish one per image.
  const pinned = ref.digest as string;
  const problem = (kind: Problem["kind"], message: string): Problem => ({
    component: nodeImageComponent(pin.version),
    artefact: nodeImageArtefact(image),
    kind,
    message,
  });
  const base = { version: pin.version, image };
  try {
    const same = locked?.image === image ? locked : undefined;
    const s = await served(up, imageRepository(ref.name), pinned, same);
    if (s.digest !== pinned) {
      const why = `the registry answers the pinned digest with ${s.digest}`;
      return { entry: { ...base, digest: s.digest }, problems: [problem("drift", why)] };
    }
    const entry = {
      ...base,
      digest: s.digest,
      ...(s.mediaType ? { mediaType: s.mediaType } : {}),
      platforms: s.platforms,
    };
    return { entry, problems: [] };
  } catch (err) {
    const { missing, reason } = classify(err);
    return {
      entry: { ...base, unresolved: reason },
      problems: [problem(missing ? "missing" : "unresolved", reason)],
    };
  }
}
