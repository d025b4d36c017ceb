/**
 * Conditional GETs with an on-disk cache: a response carrying an ETag (or Last-Modified) is kept
 * under the cache directory, and the next request for that URL sends If-None-Match
 * (If-Modified-Since); a 304 answers from the kept body, so a repeated run transfers almost
 * nothing. Offline, a kept body answers without asking. Entries are written aside and renamed,
 * so concurrent runs never read half a file.
 */
import { createHash, randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeDirs } from "../fsx/make-dirs.js";
import { readInputFile, readInputText } from "../io/read-input.js";
import { FetchError } from "./fetch-error.js";
import type { HttpClient } from "./http-client.js";

/** How a cached GET was answered. */
export type CacheOutcome = "fetched" | "not-modified" | "offline-cached";

/** A body and how it was obtained. */
export interface CachedBody {
  url: string;
  body: Buffer;
  outcome: CacheOutcome;
  /** Bytes of body that crossed the network (0 for a 304 or an offline answer). */
  transferred: number;
}

/** A cache entry's metadata is one URL and two validators. */
const META_MAX_BYTES = 64 * 1024;

interface Meta {
  url: string;
  etag?: string;
  lastModified?: string;
}

/** A cache of validated GET responses in one directory. */
export class HttpCache {
  constructor(
    /** Absolute directory (created on first write). */
    readonly dir: string,
  ) {}

  private paths(url: string): { meta: string; body: string } {
    const key = createHash("sha256").update(url).digest("hex");
    return { meta: path.join(this.dir, `${key}.json`), body: path.join(this.dir, `${key}.body`) };
  }

  /** A kept entry; read as input files are, so a FIFO or device in the cache never blocks. */
  private async load(
    url: string,
    maxBytes: number,
  ): Promise<{ meta: Meta; body: Buffer } | undefined> {
    const p = this.paths(url);
    try {
      const meta = JSON.parse(await readInputText(p.meta, { maxBytes: META_MAX_BYTES })) as Meta;
      if (meta.url !== url) return undefined;
      return { meta, body: await readInputFile(p.body, { maxBytes }) };
    } catch {
      return undefined; // absent, damaged or not a regular file: fetch afresh
    }
  }

  private async store(url: string, meta: Meta, body: Buffer): Promise<void> {
    await makeDirs(this.dir);
    const p = this.paths(url);
    const tmp = `.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(p.body + tmp, body);
    await rename(p.body + tmp, p.body);
    await writeFile(p.meta + tmp, `${JSON.stringify(meta)}\n`);
    await rename(p.meta + tmp, p.meta);
  }

  /**
   * GETs `url` through `client`, revalidating a kept body. Non-2xx answers (other than 304)
   * are FetchErrors naming the status.
   */
  async get(client: HttpClient, url: string, headers: Record<string, string> = {}) {
    const kept = await this.load(url, client.settings.maxBytes);
    if (client.settings.offline) {
      if (kept) return answer(url, kept.body, "offline-cached", 0);
      throw new FetchError(url, "offline", "offline (--offline) and not in the cache");
    }
    const conditional: Record<string, string> = { ...headers };
    if (kept?.meta.etag) conditional["if-none-match"] = kept.meta.etag;
    else if (kept?.meta.lastModified) conditional["if-modified-since"] = kept.meta.lastModified;
    const res = await client.request(url, { headers: conditional });
    if (res.status === 304 && kept) return answer(url, kept.body, "not-modified", 0);
    if (res.status < 200 || res.status >= 300) throw statusError(url, res.status);
    const etag = res.headers.get("etag") ?? undefined;
    const lastModified = res.headers.get("last-modified") ?? undefined;
    // The cache only saves transfers: a cache that cannot be written (read-only checkout, full
    // disk) must not fail the command that fetched the answer.
    const meta = { url, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
    await (etag || lastModified
      ? this.store(url, meta, res.body)
      : kept
        ? rm(this.paths(url).meta, { force: true }) // the server stopped validating
        : Promise.resolve()
    ).catch(() => {});
    return answer(url, res.body, "fetched", res.body.length);
  }
}

function answer(url: string, body: Buffer, outcome: CacheOutcome, transferred: number): CachedBody {
  return { url, body, outcome, transferred };
}

/** A FetchError for a non-2xx status. */
export function statusError(url: string, status: number): FetchError {
  if (status === 404) return new FetchError(url, "not-found", "HTTP 404 (not found)", { status });
  if (status === 401 || status === 403) {
    return new FetchError(url, "unauthorized", `HTTP ${status} (access denied)`, { status });
  }
  return new FetchError(url, "http", `HTTP ${status}`, { status });
}
