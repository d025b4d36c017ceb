/**
 * Finds the archive a mirror holds for a pinned HTTP chart and checks it is what upstream
 * publishes: the folder standing for the repository URL, its index.yaml entry (whose absolute
 * upstream `urls` are mapped by file name to the archives present), else `<name>-<version>.tgz`.
 * The archive's sha256 must equal the entry's digest unless mirror.yaml declares it a substitute;
 * an archive without an index entry is described by its own Chart.yaml. Anything missing or
 * wrong is one InputError naming the component, chart, mirror file, upstream URL and what to do.
 */
import { createHash } from "node:crypto";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import { type ChartNode, readChartArchive } from "../helm/chart-archive.js";
import { archiveFileName, type IndexEntry, RepositoryIndex } from "../helm/index-file.js";
import { sameRepositoryUrl } from "../helm/repositories.js";
import { readInputFile } from "../io/read-input.js";
import type { Mirror, MirrorFolder, MirrorSubstitute } from "./mirror-file.js";

/** The largest index or archive a mirror may hold (Bitnami's index passes 20 MB). */
export const MIRROR_FILE_LIMIT = 256 * 1024 * 1024;

/** A pinned chart of an HTTP repository. */
export interface PinnedChart {
  component: string;
  repository: string;
  chart: string;
  version: string;
}

/** Where a mirror keeps a pinned chart, and what it is. */
export interface MirrorChart extends PinnedChart {
  /** The repository's folder, relative to the mirror (as mirror.yaml writes it). */
  folder: string;
  /** Absolute path of the archive. */
  archive: string;
  /** The archive relative to the mirror. */
  archivePath: string;
  sha256: string;
  /** What helm is told about the chart: the published entry, or the archive's own Chart.yaml. */
  entry: IndexEntry;
  /** The entry the folder's index.yaml publishes, if it has one. */
  published?: IndexEntry;
  /** Why the archive is not the published bytes (mirror.yaml `substitutes`). */
  substitute?: string;
}

/** Where a pinned chart's archive is expected, before it is read. */
interface Located {
  folder: MirrorFolder;
  declared: MirrorSubstitute | undefined;
  published: IndexEntry | undefined;
  /** Relative to the mirror. */
  archivePath: string;
  archive: string;
  /** "expected <file> (upstream: <url>)", for messages. */
  expected: string;
}

function upstreamUrl(p: PinnedChart, published?: IndexEntry): string {
  return published?.urls?.[0] ?? `${p.repository.replace(/\/+$/, "")}/${p.chart}-${p.version}.tgz`;
}

/** The index entry helm reads for an archive described only by its Chart.yaml. */
function entryFromChart(tree: ChartNode): IndexEntry {
  return { ...tree.meta, name: tree.name, version: tree.version };
}

/** Resolves pinned charts against one mirror, reading each folder's index once. */
export class MirrorResolver {
  private readonly indexes = new Map<string, Promise<RepositoryIndex | undefined>>();

  constructor(readonly mirror: Mirror) {}

  private fail(p: PinnedChart, why: string, todo: string): InputError {
    return new InputError(
      `failed to resolve component "${p.component}" (chart ${p.chart} ${p.version} from ${p.repository}) in the mirror ${this.mirror.shown}: ${why}; ${todo}`,
    );
  }

  private index(folder: MirrorFolder): Promise<RepositoryIndex | undefined> {
    let found = this.indexes.get(folder.path);
    if (!found) {
      const file = path.join(this.mirror.dir, folder.path, "index.yaml");
      found = stat(file).then(
        async () => {
          const bytes = await readInputFile(file, {
            shown: this.shown(file),
            maxBytes: MIRROR_FILE_LIMIT,
          });
          return new RepositoryIndex(bytes.toString("utf8"));
        },
        () => undefined,
      );
      this.indexes.set(folder.path, found);
    }
    return found;
  }

  private shown(file: string): string {
    return path.join(this.mirror.shown, path.relative(this.mirror.dir, file));
  }

  /** The archive for `p`, checked; throws an InputError saying what is missing or wrong. */
  async resolve(p: PinnedChart): Promise<MirrorChart> {
    const at = await this.locate(p);
    const { folder, declared, published, archivePath, archive } = at;
    const bytes = await readInputFile(archive, {
      shown: this.shown(archive),
      maxBytes: MIRROR_FILE_LIMIT,
    });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const tree = await this.chartOf(p, at, bytes);
    const digest = published?.digest?.replace(/^sha256:/, "");
    if (digest && digest !== sha256 && !declared) {
      throw this.fail(
        p,
        `${archivePath} is not the published chart: its sha256 is ${sha256}, ${path.join(folder.path, "index.yaml")} publishes ${digest}`,
        `replace it with the published archive (${upstreamUrl(p, published)}), or declare it under \`substitutes:\` in mirror.yaml with the reason`,
      );
    }
    // A declared substitute whose bytes are the published ones is simply the real chart.
    const substitute = declared && digest !== sha256 ? declared.reason : undefined;
    return {
      ...p,
      folder: folder.path,
      archive,
      archivePath,
      sha256,
      entry: published && !substitute ? published : entryFromChart(tree),
      ...(published ? { published } : {}),
      ...(substitute ? { substitute } : {}),
    };
  }

  /** Where the archive for `p` should be, and the index entry and substitute that apply. */
  private async locate(p: PinnedChart): Promise<Located> {
    const m = this.mirror;
    const declared = m.substitutes.find(
      (s) =>
        sameRepositoryUrl(s.repository, p.repository) &&
        s.chart === p.chart &&
        s.version === p.version,
    );
    const folder = m.charts.find((f) => sameRepositoryUrl(f.url, p.repository));
    const create = `run \`shoppe mirror create\` where ${p.repository} is reachable`;
    if (!folder) {
      throw this.fail(
        p,
        `its ${path.join(m.shown, "mirror.yaml")} names no folder for ${p.repository}`,
        `add a \`charts:\` entry for that URL with the archive ${p.chart}-${p.version}.tgz, or ${create}`,
      );
    }
    const folderDir = path.join(m.dir, folder.path);
    if (!(await stat(folderDir).catch(() => undefined))?.isDirectory()) {
      throw this.fail(
        p,
        `the folder ${folder.path} that mirror.yaml names for it does not exist`,
        create,
      );
    }
    let published: IndexEntry | undefined;
    try {
      published = (await this.index(folder))?.entry(p.chart, p.version);
    } catch (err) {
      if (err instanceof InputError) throw err;
      const why = `${path.join(folder.path, "index.yaml")} is not a readable index (${(err as Error).message})`;
      throw this.fail(p, why, create);
    }
    const archivePath = declared
      ? path.normalize(declared.archive)
      : path.join(folder.path, await this.archiveName(folderDir, p, published));
    const archive = path.join(m.dir, archivePath);
    const expected = `expected ${path.join(m.shown, archivePath)} (upstream: ${upstreamUrl(p, published)})`;
    if (!(await stat(archive).catch(() => undefined))?.isFile()) {
      throw this.fail(
        p,
        `the archive is missing: ${expected}`,
        `copy that archive into the mirror, or ${create}`,
      );
    }
    await this.requireInside(p, archive, archivePath);
    return { folder, declared, published, archivePath, archive, expected };
  }

  /** The chart an archive holds, which must be `p`. */
  private async chartOf(p: PinnedChart, at: Located, bytes: Buffer): Promise<ChartNode> {
    let tree: ChartNode;
    try {
      tree = await readChartArchive(bytes);
    } catch (err) {
      const why = `${at.archivePath} is not a readable chart archive (${(err as Error).message})`;
      throw this.fail(p, why, `replace it: ${at.expected}`);
    }
    if (tree.name !== p.chart || tree.version !== p.version) {
      const why = `${at.archivePath} holds chart ${tree.name} ${tree.version}`;
      throw this.fail(p, why, `replace it: ${at.expected}`);
    }
    return tree;
  }

  /** The file the published urls name, preferring one that is present; else `<name>-<version>.tgz`. */
  private async archiveName(
    folderDir: string,
    p: PinnedChart,
    published?: IndexEntry,
  ): Promise<string> {
    const names = (published?.urls ?? []).map(archiveFileName);
    for (const n of names) {
      if (n && (await stat(path.join(folderDir, n)).catch(() => undefined))?.isFile()) return n;
    }
    return names[0] || `${p.chart}-${p.version}.tgz`;
  }

  /** Refuses an archive that a symbolic link takes outside the mirror. */
  private async requireInside(p: PinnedChart, archive: string, archivePath: string): Promise<void> {
    const [real, root] = await Promise.all([realpath(archive), realpath(this.mirror.dir)]);
    const rel = path.relative(root, real);
    if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      throw this.fail(
        p,
        `${archivePath} leads outside the mirror (to ${real})`,
        "keep every archive inside the mirror folder",
      );
    }
  }
}
