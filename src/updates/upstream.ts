/**
 * What the update commands talk to, opened once per run: one HttpClient (limit, timeout,
 * retries), the on-disk cache of conditional GETs under `.shoppe/cache/http`, a registry
 * client with the configured credentials, and the mirror whose folders answer for the chart
 * repositories they stand for.
 */
import path from "node:path";
import type { Context } from "../context.js";
import { loadMirror, type Mirror } from "../mirror/mirror-file.js";
import { HttpCache } from "../net/http-cache.js";
import { HttpClient, type HttpSettings } from "../net/http-client.js";
import { CredentialStore, loadCredentials } from "../oci/credentials.js";
import { RegistryClient } from "../oci/registry-client.js";

/** Where the on-disk HTTP cache lives, relative to the project root. */
export const HTTP_CACHE_DIR = path.join(".shoppe", "cache", "http");

/** How to reach upstream. */
export interface UpstreamOptions extends Partial<HttpSettings> {
  /** A mirror directory (relative to the project root) whose folders answer for their repositories. */
  mirror?: string;
  /** A docker-style credentials file for registries. */
  registryAuth?: string;
  signal?: AbortSignal;
}

/** The opened services. */
export interface Upstream {
  http: HttpClient;
  cache: HttpCache;
  registry: RegistryClient;
  mirror: Mirror | undefined;
}

/** Opens the services for one command run. */
export async function openUpstream(ctx: Context, o: UpstreamOptions): Promise<Upstream> {
  const { mirror, registryAuth, signal, ...settings } = o;
  const http = new HttpClient(settings, { logger: ctx.logger, ...(signal ? { signal } : {}) });
  const credentials = registryAuth
    ? await loadCredentials(path.resolve(ctx.root, registryAuth), registryAuth, ctx.redactor)
    : new CredentialStore();
  return {
    http,
    cache: new HttpCache(path.join(ctx.root, HTTP_CACHE_DIR)),
    registry: new RegistryClient(http, credentials),
    mirror: mirror ? await loadMirror(path.resolve(ctx.root, mirror), mirror) : undefined,
  };
}
