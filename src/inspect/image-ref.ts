/**
 * Container image references, normalised the way container runtimes read them (the rules of
 * distribution/reference): `alpine:3.6`, `library/alpine:3.6` and
 * `docker.io/library/alpine:3.6` are one image; a reference may carry a tag, a digest or both.
 */

/** A parsed image reference. */
export interface ImageRef {
  /** Fully qualified repository, e.g. `docker.io/library/alpine`, `quay.io/jupyterhub/k8s-hub`. */
  name: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_REGISTRY = "docker.io";

/** Parses `ref` into a normalised ImageRef; a reference without tag or digest means `latest`. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (tag === undefined && digest === undefined) tag = "latest";
  return {
    name: normaliseName(rest),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** `alpine` → `docker.io/library/alpine`; `index.docker.io/x/y` → `docker.io/x/y`. */
export function normaliseName(name: string): string {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasRegistry =
    first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : DEFAULT_REGISTRY;
  let path = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io")
    registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !path.includes("/")) path = `library/${path}`;
  return `${registry}/${path}`;
}

/** The canonical string: `docker.io/library/alpine:3.6`, `repo:tag@sha256:…`. */
export function formatImageRef(r: ImageRef): string {
  return `${r.name}${r.tag !== undefined ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/** The short form people write: `alpine:3.6`, `sslhep/servicex_app:v1.5.3`. */
export function familiarImageRef(r: ImageRef): string {
  const name = r.name.startsWith("docker.io/library/")
    ? r.name.slice("docker.io/library/".length)
    : r.name.startsWith("docker.io/")
      ? r.name.slice("docker.io/".length)
      : r.name;
  return formatImageRef({ ...r, name });
}

/**
 * Whether a deployed reference is the pinned image: same repository, and every identifier both
 * sides carry agrees (tag with tag, digest with digest), with at least one compared. A deployment
 * by digest matches a pin only when the pin records that digest.
 */
export function sameImage(deployed: ImageRef, pinned: ImageRef): boolean {
  if (deployed.name !== pinned.name) return false;
  let compared = false;
  if (deployed.digest && pinned.digest) {
    if (deployed.digest !== pinned.digest) return false;
    compared = true;
  }
  if (deployed.tag !== undefined && pinned.tag !== undefined) {
    if (deployed.tag !== pinned.tag) return false;
    compared = true;
  }
  return compared;
}

/** A pinned image of stack.yaml as a reference. */
export function pinnedRef(p: {
  repository: string;
  tag: string;
  digest?: string | undefined;
}): ImageRef {
  return {
    name: normaliseName(p.repository),
    tag: p.tag,
    ...(p.digest ? { digest: p.digest } : {}),
  };
}
