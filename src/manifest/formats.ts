/**
 * The string formats of stack.yaml: one pattern each (it goes into the committed JSON Schema,
 * so editors check it too) and an explanation that says what is wrong with a value that does
 * not match. Patterns are written for both JavaScript and JSON Schema (ECMA-262, unicode).
 */
import { quote } from "./text.js";

/** A pattern and how to explain a mismatch. */
export interface Format {
  pattern: RegExp;
  explain(value: string): string;
}

const PORT =
  "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])`;
/** RFC 3986 characters of a path, query and fragment (percent-encode anything else). */
const URL_TAIL = "(?:/[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?#]*)?";
const LOOPBACK = "(?:127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|localhost|\\[::1\\])";

/** A registry as image references name one: a dot, a port or localhost tells it from a path. */
const REGISTRY = `(?:(?:${LABEL}(?:\\.${LABEL})+|localhost|\\[[0-9A-Fa-f:.]+\\])(?::${PORT})?|${LABEL}:${PORT})`;

const full = (source: string) => new RegExp(`^(?:${source})$`, "u");

/** Why a URL-like value is not a URL with a host, for the explanations below. */
function urlProblem(value: string): string {
  if (/\s/u.test(value)) return `${quote(value)} contains whitespace; percent-encode it (%20)`;
  const port = /^[a-z][a-z0-9+.-]*:\/\/[^/]*:([0-9]+)(?:\/|$)/u.exec(value)?.[1];
  if (port !== undefined && !new RegExp(`^${PORT}$`, "u").test(port)) {
    return `${quote(value)} has port ${port}, outside 1-65535`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\/(?:[/:?#]|$)/u.test(value)) return `${quote(value)} has no host`;
  return `${quote(value)} is not a URL (scheme://host[:port][/path], RFC 3986 characters only)`;
}

/** A web page: http(s) with a host. */
export const WEB_URL: Format = {
  pattern: full(`https?://${HOST}(?::${PORT})?${URL_TAIL}`),
  explain: (v) =>
    /^https?:\/\//u.test(v) ? urlProblem(v) : `${quote(v)} must be an http(s):// URL`,
};

/** Where helm fetches a chart: https, http on loopback only, or an OCI registry. */
export const CHART_REPOSITORY: Format = {
  pattern: full(
    `https://${HOST}(?::${PORT})?${URL_TAIL}|http://${LOOPBACK}(?::${PORT})?${URL_TAIL}|oci://${HOST}(?::${PORT})?(?:/[a-z0-9._/-]*)?`,
  ),
  explain: (v) =>
    /^(https|oci):\/\//u.test(v) || new RegExp(`^http://${LOOPBACK}(?:[:/]|$)`, "u").test(v)
      ? urlProblem(v)
      : `${quote(v)} must be an https:// or oci:// URL (plain http only on loopback)`,
};

const PLACEHOLDER = "\\{(?:release|namespace)\\}";
const EHOST_PART = `(?:[a-z0-9-]|${PLACEHOLDER})+`;

/** An in-cluster endpoint: scheme://host[:port][/path] with {release}/{namespace}. */
export const ENDPOINT_URL: Format = {
  pattern: full(
    `[a-z][a-z0-9+.-]*://${EHOST_PART}(?:\\.${EHOST_PART})*(?::${PORT})?(?:/(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?#]|${PLACEHOLDER})*)?`,
  ),
  explain(v) {
    const unknown = /\{([^{}]*)\}/u.exec(v.replace(/\{(release|namespace)\}/gu, ""));
    if (unknown) return `unknown placeholder {${unknown[1]}} (use {release} or {namespace})`;
    if (/[{}]/u.test(v.replace(/\{(release|namespace)\}/gu, ""))) {
      return `${quote(v)} has an unclosed { or a stray }; placeholders are {release} and {namespace}`;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*[A-Z]/u.test(v)) {
      return `${quote(v)} has upper-case letters in its host; Service names are lower case`;
    }
    return urlProblem(v);
  },
};

/** SemVer 2.0 exactly as semver.org defines it (no leading v, no leading zeros). */
export const SEMVER: Format = {
  pattern: full(
    "(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)(?:-(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?",
  ),
  explain: (v) =>
    `${quote(v)} is not a valid version (SemVer MAJOR.MINOR.PATCH[-pre][+build], no leading v or zeros)`,
};

/** A supported Kubernetes release. */
export const KUBE_VERSION: Format = {
  pattern: full("1\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)"),
  explain: (v) =>
    `${quote(v)} is not a Kubernetes version (expected MAJOR.MINOR.PATCH such as 1.35.4, no leading v or zeros)`,
};

/**
 * A kind node image, pinned by digest; a registry may come first (a site's copy of kind's
 * images, the same digests), and the repository stays kindest/node.
 */
export const KIND_NODE_IMAGE: Format = {
  pattern: full(
    `(?:${REGISTRY}/)?kindest/node:v1\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)@sha256:[a-f0-9]{64}`,
  ),
  explain: (v) =>
    `${quote(v)} must be kindest/node:v<version>@sha256:<digest> (node images are pinned by digest; a registry holding a copy may come first: registry.example/kindest/node:…)`,
};

const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const PATH_PART = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";

/** An image repository by the distribution reference grammar: [host[:port]/]path, 255 max. */
export const IMAGE_REPOSITORY: Format = {
  pattern: full(
    `(?=.{1,255}$)(?:(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?/)?${PATH_PART}(?:/${PATH_PART})*`,
  ),
  explain: (v) =>
    /[@:][^/]*$/u.test(v) && !/:[0-9]+\//u.test(v)
      ? `${quote(v)} is not an image repository: put the tag and digest in their own fields`
      : `${quote(v)} is not an image repository ([registry[:port]/]path of lower-case components, at most 255 characters)`,
};

/** An image tag by the distribution reference grammar. */
export const IMAGE_TAG: Format = {
  pattern: full("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"),
  explain: (v) =>
    `${quote(v)} is not a valid tag (letters, digits, _ . -, at most 128, no leading . or -; put a digest in the digest field)`,
};

/** A content digest; only sha256 is pinned. */
export const DIGEST: Format = {
  pattern: full("sha256:[a-f0-9]{64}"),
  explain: (v) => `${quote(v)} is not a digest (sha256: followed by 64 lowercase hex digits)`,
};

/** A path inside the project (or an upstream repository): relative, never leaving it. */
export const RELATIVE_PATH: Format = {
  pattern: full("(?!.*(?:^|/)\\.\\.(?:/|$))[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*/?"),
  explain(v) {
    if (v.startsWith("/") || /^[A-Za-z]:[\\/]/u.test(v)) {
      return `${quote(v)} is absolute; give the path relative to stack.yaml`;
    }
    if (/(^|[\\/])\.\.([\\/]|$)/u.test(v)) return `${quote(v)} leaves the project (..)`;
    return `${quote(v)} is not a relative path (letters, digits, . _ - separated by /)`;
  },
};

/** GitHub owner/repository, as GitHub allows them. */
export const GITHUB_REPO: Format = {
  pattern: full(
    "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}",
  ),
  explain: (v) => `${quote(v)} is not a GitHub owner/repo`,
};
