/**
 * Where a chart's releases are listed, one feed per source: an HTTP repository's index.yaml
 * (through the conditional-GET cache), the mirror folder that stands for that repository, or
 * an OCI repository's tag list. A feed answers the versions of a chart and the metadata of one
 * release: app version, published digest, annotations and, on demand, the archive.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import { archiveFileName, type IndexEntry, RepositoryIndex } from "../helm/index-file.js";
import { type ChartSource, sameRepositoryUrl } from "../helm/repositories.js";
import { readInputFile } from "../io/read-input.js";
import { MIRROR_FILE_LIMIT } from "../mirror/resolve.js";
import { FetchError } from "../net/fetch-error.js";
import type { CacheOutcome } from "../net/http-cache.js";
import { HELM_CHART_LAYER, OCI_MANIFEST } from "../oci/media-types.js";
import { chartRepository, chartTag, formatRepository, versionOfTag } from "../oci/reference.js";
import type { Upstream } from "./upstream.js";

/** One published release of a chart. */
export interface ChartRelease {
  chart: string;
  version: string;
  appVersion?: string;
  /** `sha256:<hex>`: the digest the index publishes, or the OCI manifest's. */
  digest?: string;
  annotations: Record<string, string>;
  /** The chart archive; rejects with a FetchError saying why it cannot be had. */
  archive(): Promise<Buffer>;
}

/** The releases one source lists. */
export interface ChartFeed {
  kind: "http" | "mirror" | "oci";
  /** What answered: the index URL, the mirror's index file, or the OCI repository. */
  origin: string;
  /** How it answered: fetched, 304 (not-modified), from the cache offline, or read locally. */
  outcome: CacheOutcome | "mirror";
  /** Bytes that crossed the network for the listing. */
  transferred: number;
  versions(chart: string): string[];
  release(chart: string, version: string): Promise<ChartRelease | undefined>;
}

/** Opens feeds, one per repository (components sharing a repository share its index). */
export class Feeds {
  private readonly open = new Map<string, Promise<ChartFeed>>();

  constructor(private readonly up: Upstream) {}

  /** The feed of a remote chart source (first-party charts have none). */
  feed(source: ChartSource): Promise<ChartFeed> {
    const key =
      source.kind === "oci"
        ? formatRepository(chartRepository(source.location, source.chart))
        : source.location.replace(/\/+$/, "");
    let f = this.open.get(key);
    if (!f) {
      f = source.kind === "oci" ? this.ociFeed(source) : this.indexFeed(source.location);
      this.open.set(key, f);
    }
    return f;
  }

  private async indexFeed(repository: string): Promise<ChartFeed> {
    const folder = this.up.mirror?.charts.find((f) => sameRepositoryUrl(f.url, repository));
    if (this.up.mirror && folder) {
      const dir = path.join(this.up.mirror.dir, folder.path);
      const file = path.join(dir, "index.yaml");
      const shown = path.join(this.up.mirror.shown, folder.path, "index.yaml");
      const bytes = await readInputFile(file, { shown, maxBytes: MIRROR_FILE_LIMIT });
      const index = new RepositoryIndex(bytes.toString("utf8"));
      return indexFeed("mirror", shown, "mirror", 0, index, (e) => mirrorArchive(dir, shown, e));
    }
    const url = `${repository.replace(/\/+$/, "")}/index.yaml`;
    const got = await this.up.cache.get(this.up.http, url);
    const index = new RepositoryIndex(got.body.toString("utf8"));
    const archive = async (e: IndexEntry) => {
      const first = e.urls?.[0];
      const base = `${repository.replace(/\/+$/, "")}/`;
      if (!first || !URL.canParse(first, base)) {
        const listed = first ? ` usable archive URL ("${first}")` : " archive URL";
        throw new FetchError(url, "invalid", `${e.name} ${e.version} lists no${listed}`);
      }
      const at = new URL(first, base).href;
      return published(e, at, (await this.up.cache.get(this.up.http, at)).body);
    };
    return indexFeed("http", url, got.outcome, got.transferred, index, archive);
  }

  private async ociFeed(source: ChartSource): Promise<ChartFeed> {
    const repo = chartRepository(source.location, source.chart);
    const registry = this.up.registry;
    const versions = (await registry.tags(repo)).map(versionOfTag);
    return {
      kind: "oci",
      origin: formatRepository(repo),
      outcome: "fetched",
      transferred: 0,
      versions: () => versions,
      release: async (chart, version) => {
        if (!versions.includes(version)) return undefined;
        const manifest = await registry.manifest(repo, chartTag(version), OCI_MANIFEST);
        const config = manifest.json.config as { digest?: unknown } | undefined;
        const meta =
          typeof config?.digest === "string"
            ? (parseObject((await registry.blob(repo, config.digest)).toString("utf8")) ?? {})
            : {};
        const layers = Array.isArray(manifest.json.layers) ? manifest.json.layers : [];
        const layer = (layers as { mediaType?: unknown; digest?: unknown }[]).find(
          (l) => l?.mediaType === HELM_CHART_LAYER,
        );
        return {
          chart,
          version,
          ...stringField("appVersion", meta.appVersion),
          digest: manifest.digest,
          annotations: stringMap(meta.annotations),
          archive: async () => {
            if (typeof layer?.digest !== "string") {
              const where = formatRepository(repo);
              throw new FetchError(where, "invalid", `${chart} ${version} has no chart layer`);
            }
            return registry.blob(repo, layer.digest);
          },
        };
      },
    };
  }
}

/** A feed over a repository index. */
function indexFeed(
  kind: "http" | "mirror",
  origin: string,
  outcome: CacheOutcome | "mirror",
  transferred: number,
  index: RepositoryIndex,
  archive: (e: IndexEntry) => Promise<Buffer>,
): ChartFeed {
  const guarded = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw new FetchError(origin, "invalid", `not a readable index (${(err as Error).message})`, {
        cause: err,
      });
    }
  };
  return {
    kind,
    origin,
    outcome,
    transferred,
    versions: (chart) => guarded(() => index.versions(chart)),
    release: async (chart, version) => {
      const e = guarded(() => index.entry(chart, version));
      if (!e) return undefined;
      const digest = typeof e.digest === "string" ? normaliseDigest(e.digest) : undefined;
      return {
        chart,
        version,
        ...stringField("appVersion", e.appVersion),
        ...(digest ? { digest } : {}),
        annotations: stringMap(e.annotations),
        archive: () => archive(e),
      };
    },
  };
}

/** The mirror's copy of a published archive, if it holds the published bytes. */
async function mirrorArchive(dir: string, shown: string, e: IndexEntry): Promise<Buffer> {
  const name = archiveFileName(e.urls?.[0] ?? `${e.name}-${e.version}.tgz`);
  const file = path.join(dir, name);
  const where = path.join(path.dirname(shown), name);
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    throw new FetchError(where, "not-found", "the mirror does not hold this archive");
  }
  return published(
    e,
    where,
    await readInputFile(file, { shown: where, maxBytes: MIRROR_FILE_LIMIT }),
  );
}

/** `bytes` (read from `where`) when they are what the index entry publishes a digest of. */
function published(e: IndexEntry, where: string, bytes: Buffer): Buffer {
  const sum = createHash("sha256").update(bytes).digest("hex");
  const digest = typeof e.digest === "string" ? normaliseDigest(e.digest) : undefined;
  if (digest && digest !== `sha256:${sum}`) {
    throw new FetchError(where, "invalid", `not the published archive (sha256:${sum})`);
  }
  return bytes;
}

/** `53b7…` (helm's index writes bare hex) → `sha256:53b7…`. */
export function normaliseDigest(d: string): string {
  return /^[a-f0-9]{64}$/.test(d) ? `sha256:${d}` : d;
}

function stringField<K extends string>(key: K, v: unknown): Partial<Record<K, string>> {
  return typeof v === "string" || typeof v === "number"
    ? ({ [key]: String(v) } as Record<K, string>)
    : {};
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null) return {};
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
