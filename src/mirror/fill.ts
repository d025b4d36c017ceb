/**
 * Fills a new mirror with the archives an umbrella needs, one folder per chart repository:
 * from the repositories themselves (`helm repo add` and `helm pull` in a throwaway helm home,
 * each archive checked against the digest its index publishes), or from another mirror (a
 * subset copy, substitutes carried over). Each folder's index.yaml holds the pinned entries
 * exactly as upstream published them; mirror.yaml says which URL each folder stands for.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import type { Context } from "../context.js";
import { CheckFailedError, CommandError, InputError } from "../errors.js";
import { addRepositories } from "../helm/deps.js";
import { explainHelmError } from "../helm/explain.js";
import {
  archiveFileName,
  formatIndex,
  type IndexEntry,
  RepositoryIndex,
} from "../helm/index-file.js";
import type { ChartSource, HttpRepository } from "../helm/repositories.js";
import type { Umbrella } from "../helm/umbrella.js";
import { readInputFile } from "../io/read-input.js";
import { type Helm, type HelmMajor, openHelm } from "../tools/helm.js";
import { MIRROR_FILE, type Mirror, type MirrorFolder } from "./mirror-file.js";
import { MIRROR_FILE_LIMIT, MirrorResolver } from "./resolve.js";

/** One archive placed in the new mirror. */
export interface MirroredChart {
  component: string;
  repository: string;
  chart: string;
  version: string;
  /** Folder, relative to the mirror. */
  folder: string;
  /** The archive, relative to the mirror. */
  archive: string;
  sha256: string;
  /** The entry the repository's index publishes (absent for an archive without one). */
  published?: IndexEntry;
  /** Why the archive is not the published bytes (carried over from the source mirror). */
  substitute?: string;
}

function httpSources(u: Umbrella): ChartSource[] {
  return u.sources.filter((s) => s.kind === "http");
}

/** A folder name for a repository URL: its last path segment, else its host; unique. */
function folderFor(url: string, taken: Set<string>): string {
  const u = new URL(url);
  const last = u.pathname.split("/").filter(Boolean).at(-1) ?? u.hostname;
  const base = `charts/${last.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readInputFile(file, { maxBytes: MIRROR_FILE_LIMIT }))
    .digest("hex");
}

/** One chart to pull: its pin, its repository and folder, and the entry published for it. */
interface PullItem {
  s: ChartSource;
  repo: HttpRepository;
  folder: string;
  published: IndexEntry & { urls: string[] };
}

/**
 * Every pinned chart with its published entry, read from the indexes `helm repo add` cached;
 * the pins a repository does not publish are reported together, at their stack.yaml positions.
 */
async function planPulls(u: Umbrella, helm: Helm, home: string): Promise<PullItem[]> {
  const taken = new Set<string>();
  const items: PullItem[] = [];
  const missing: { s: ChartSource; url: string }[] = [];
  for (const repo of await addRepositories(helm, u)) {
    const folder = folderFor(repo.url, taken);
    const cached = path.join(home, "cache", "repository", `${repo.name}-index.yaml`);
    const text = (await readInputFile(cached, { maxBytes: MIRROR_FILE_LIMIT })).toString("utf8");
    const index = new RepositoryIndex(text);
    for (const s of httpSources(u).filter((x) => repo.components.includes(x.component))) {
      const published = index.entry(s.chart, s.version);
      if (published?.urls?.[0]) {
        items.push({ s, repo, folder, published: published as PullItem["published"] });
      } else missing.push({ s, url: repo.url });
    }
  }
  if (missing.length === 0) return items;
  throw new InputError(
    `failed to mirror ${missing.map(({ s, url }) => `component "${s.component}": ${url} has no ${s.chart} ${s.version} in its index`).join("; ")}; pin versions the repositories publish`,
    missing.map(({ s }) => {
      const p = ["components", s.component, "chart", "version"];
      return {
        position: u.loaded.document.locate(p),
        path: p.join("."),
        message: "not in the repository's index",
      };
    }),
  );
}

/** `helm pull` of one pinned chart into its folder, checked against the published digest. */
async function pullOne(
  ctx: Context,
  helm: Helm,
  u: Umbrella,
  out: string,
  item: PullItem,
): Promise<MirroredChart> {
  const { s, repo, folder, published } = item;
  const step = ctx.progress.start(`helm pull ${s.chart} ${s.version} from ${repo.url}`);
  try {
    await helm.pull(`${repo.name}/${s.chart}`, {
      version: s.version,
      destination: path.join(out, folder),
    });
    step.succeed();
  } catch (err) {
    step.fail();
    if (!(err instanceof CommandError)) throw err;
    throw explainHelmError(err, {
      verb: `mirror ${s.chart} ${s.version} from ${repo.url}`,
      umbrella: u,
    });
  }
  const archive = `${folder}/${archiveFileName(published.urls[0] ?? "")}`;
  const sum = await sha256(path.join(out, archive));
  const digest = published.digest?.replace(/^sha256:/, "");
  if (digest && digest !== sum) {
    throw new CheckFailedError(
      `failed to mirror component "${s.component}": ${published.urls[0]} is not the chart ${repo.url} publishes (sha256 ${sum}, its index says ${digest}); nothing was written`,
    );
  }
  return { ...pinOf(s), folder, archive, sha256: sum, published };
}

/** Pulls every HTTP chart of `u` from its repository into `out`, verified against its index. */
export async function fillFromUpstream(
  ctx: Context,
  u: Umbrella,
  out: string,
  major: HelmMajor,
): Promise<MirroredChart[]> {
  const home = await mkdtemp(path.join(os.tmpdir(), "shoppe-helm-pull-"));
  try {
    const helm = openHelm(ctx, major, home);
    const charts: MirroredChart[] = [];
    for (const item of await planPulls(u, helm, home)) {
      await mkdir(path.join(out, item.folder), { recursive: true });
      charts.push(await pullOne(ctx, helm, u, out, item));
    }
    return charts;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function pinOf(s: ChartSource) {
  return { component: s.component, repository: s.location, chart: s.chart, version: s.version };
}

/** Copies the archives `u` needs from the mirror `from` into `out`, keeping its folders. */
export async function fillFromMirror(
  u: Umbrella,
  from: Mirror,
  out: string,
): Promise<MirroredChart[]> {
  const resolver = new MirrorResolver(from);
  const charts: MirroredChart[] = [];
  for (const s of httpSources(u)) {
    const c = await resolver.resolve(pinOf(s));
    const archive = `${c.folder}/${path.basename(c.archive)}`;
    await mkdir(path.join(out, c.folder), { recursive: true });
    await copyFile(c.archive, path.join(out, archive));
    charts.push({
      ...pinOf(s),
      folder: c.folder,
      archive,
      sha256: c.sha256,
      ...(c.published ? { published: c.published } : {}),
      ...(c.substitute ? { substitute: c.substitute } : {}),
    });
  }
  return charts;
}

/** Writes each folder's index.yaml and mirror.yaml; returns the files written (relative). */
export async function writeMirrorIndexes(out: string, charts: MirroredChart[]): Promise<string[]> {
  const folders: MirrorFolder[] = [];
  for (const c of charts) {
    if (!folders.some((f) => f.path === c.folder))
      folders.push({ url: c.repository, path: c.folder });
  }
  const written: string[] = [];
  for (const f of folders) {
    const entries = charts
      .filter((c) => c.folder === f.path)
      .flatMap((c) => (c.published ? [c.published] : []));
    await writeFile(path.join(out, f.path, "index.yaml"), formatIndex(entries));
    written.push(`${f.path}/index.yaml`);
  }
  const substitutes = charts.flatMap((c) =>
    c.substitute
      ? [
          {
            repository: c.repository,
            chart: c.chart,
            version: c.version,
            archive: c.archive,
            reason: c.substitute,
          },
        ]
      : [],
  );
  const doc = { charts: folders, ...(substitutes.length > 0 ? { substitutes } : {}) };
  const head =
    "# Written by `shoppe mirror create`: the upstream URL each folder stands for (docs/mirrors.md).\n";
  await writeFile(path.join(out, MIRROR_FILE), `${head}${stringify(doc, { lineWidth: 0 })}`);
  return [...written, MIRROR_FILE, ...charts.map((c) => c.archive)];
}
