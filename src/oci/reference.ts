/**
 * Where the OCI distribution API of an image or chart repository lives: `docker.io` names are
 * served by registry-1.docker.io, loopback registries speak plain HTTP (as helm's
 * --plain-http and docker's "insecure localhost" do), every other registry HTTPS.
 */
import { normaliseName } from "../inspect/image-ref.js";

/** A repository of a registry. */
export interface OciRepository {
  /** The registry as references name it: `docker.io`, `quay.io`, `127.0.0.1:5000`. */
  registry: string;
  /** The repository path: `library/busybox`, `charts/mlflow`. */
  path: string;
}

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d+)?$/;

/** An image repository as stack.yaml writes it (`sslhep/servicex_app`, `quay.io/x/y`). */
export function imageRepository(repository: string): OciRepository {
  const full = normaliseName(repository);
  const slash = full.indexOf("/");
  return { registry: full.slice(0, slash), path: full.slice(slash + 1) };
}

/** The repository of chart `name` under `oci://host/path`. */
export function chartRepository(ociUrl: string, name: string): OciRepository {
  const rest = ociUrl.replace(/^oci:\/\//, "").replace(/\/+$/, "");
  const slash = rest.indexOf("/");
  const registry = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : `${rest.slice(slash + 1)}/`;
  return { registry, path: `${prefix}${name}` };
}

/** The tag helm pushes a chart version under (`+` is not allowed in tags: it becomes `_`). */
export function chartTag(version: string): string {
  return version.replaceAll("+", "_");
}

/** The chart version a tag stands for (helm's reverse mapping). */
export function versionOfTag(tag: string): string {
  return tag.replaceAll("_", "+");
}

/** Whether the registry is on this machine (plain HTTP). */
export function isLoopback(registry: string): boolean {
  return LOOPBACK.test(registry);
}

/** The API base URL: `https://quay.io/v2`, `http://127.0.0.1:5000/v2`. */
export function apiBase(registry: string): string {
  const host = registry === "docker.io" ? "registry-1.docker.io" : registry;
  return `${isLoopback(registry) ? "http" : "https"}://${host}/v2`;
}

/** `registry/path`, as people read it. */
export function formatRepository(r: OciRepository): string {
  return `${r.registry}/${r.path}`;
}
