/**
 * The real upstream charts for tests, CI and benchmarks. `../shared/upstream` (read-only; or
 * SHOPPE_UPSTREAM_MIRROR_SOURCE) is a mirror of the real repositories, but the pinned
 * Coffea-Casa 2026.1008.3 is only in its index. The derived mirror built here copies its chart
 * folders and adds the nearest real stand-in: Coffea-Casa's chart source at tag 2026.08.12.2,
 * stamped 2026.1008.3 with z2jh 4.4.0 (for the pinned 4.4.1) and its dependencies bundled,
 * declared a substitute in mirror.yaml, as is MLflow 1.11.5, packaged from source. It is built
 * once per change of the shared files, under .shoppe/cache/upstream-mirror/<key>, and
 * published by one rename, so concurrent test workers share it safely.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import semver from "semver";
import { describe, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { describeWithTools, ROOT, UNDER_CI } from "../helpers/tools.js";
import { checkoutCasa, packageCasa } from "./casa-source.js";

/** The shared upstream mirror this machine (or CI) provides. */
export const UPSTREAM_SOURCE = path.resolve(
  ROOT,
  process.env.SHOPPE_UPSTREAM_MIRROR_SOURCE ?? path.join("..", "shared", "upstream"),
);

/** Bump when the recipe below changes, so cached mirrors are rebuilt. */
const RECIPE = "derived upstream mirror 4";

/**
 * The Coffea-Casa stand-in for the pinned 2026.1008.3: its chart source at the newest tag here,
 * with the dependencies the published 2026.1008.3 declares (its index entry), each at the
 * nearest version the mirror holds (jupyterhub 4.4.0 for 4.4.1).
 */
export const CASA = {
  tag: "2026.08.12.2",
  version: "2026.1008.3",
  appVersion: "2026.10.08.3",
  reason:
    "the published archive is not available here; built from CoffeaTeam/coffea-casa@2026.08.12.2 with the dependencies of the published 2026.1008.3 (jupyterhub 4.4.0 for 4.4.1)",
};

/** Why the shared upstream mirror cannot be used, or undefined when it can. */
export function upstreamMissing(): string | undefined {
  if (existsSync(path.join(UPSTREAM_SOURCE, "mirror.yaml"))) return undefined;
  return `no upstream mirror at ${UPSTREAM_SOURCE} (set SHOPPE_UPSTREAM_MIRROR_SOURCE)`;
}

/**
 * Whether tests may fetch the real charts from the upstream repositories: only when asked
 * (SHOPPE_UPSTREAM_NETWORK=1, as the GitHub workflow does), never by probing, so a machine
 * restricted to loopback never sends a request elsewhere.
 */
export const NETWORK_ALLOWED = process.env.SHOPPE_UPSTREAM_NETWORK === "1";

/** Where the tests' real charts come from: the shared mirror, the upstream repositories, or nowhere. */
export function upstreamMode(): "mirror" | "network" | undefined {
  if (!upstreamMissing()) return "mirror";
  return NETWORK_ALLOWED ? "network" : undefined;
}

/**
 * Where the real charts of a suite come from, for its name: the mirror's Coffea-Casa and MLflow
 * are substitutes (see CASA), and a suite that uses them says so.
 */
export function realChartsOrigin(): string {
  return upstreamMode() === "mirror"
    ? "the upstream mirror (coffea-casa and mlflow substitutes)"
    : "the upstream repositories";
}

/** Arguments of `shoppe chart deps` that fetch the real charts: `--mirror <derived>` or none. */
export async function realChartsArgs(): Promise<string[]> {
  return upstreamMode() === "mirror" ? ["--mirror", await upstreamMirror()] : [];
}

/** `describe` skipped locally, failing under CI=true, with the reason. */
function describeOrExplain(name: string, why: string | undefined, run: () => void, fails: boolean) {
  if (!why) run();
  else if (UNDER_CI && fails) {
    describe(name, () => {
      it("has the real upstream charts", () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} (${why})`, () => {});
  }
}

/**
 * `describe` for the main path on the real charts: from the shared mirror when it is there,
 * else from the upstream repositories when the network is allowed; with neither, skipped with
 * the reason locally and failing under CI=true.
 */
export function describeWithRealCharts(name: string, binaries: string[], body: () => void): void {
  const why = upstreamMode()
    ? undefined
    : `${upstreamMissing()}, and SHOPPE_UPSTREAM_NETWORK is not 1`;
  describeOrExplain(name, why, () => describeWithTools(name, binaries, body), true);
}

/**
 * `describe` that needs the shared mirror itself (its sources, archives and substitutes):
 * skipped with the reason when it is absent, failing under CI=true unless the network stands
 * in for the main path (then only the mirror's own tests cannot run, and say so).
 */
export function describeWithUpstream(name: string, binaries: string[], body: () => void): void {
  const missing = upstreamMissing();
  describeOrExplain(name, missing, () => describeWithTools(name, binaries, body), !NETWORK_ALLOWED);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out.sort();
}

/** Key of the derived mirror: the recipe and every input file's path, size and mtime. */
async function cacheKey(): Promise<string> {
  const h = createHash("sha256").update(RECIPE);
  const inputs = [
    ...(await filesUnder(path.join(UPSTREAM_SOURCE, "charts"))),
    ...(await filesUnder(path.join(UPSTREAM_SOURCE, "git"))),
  ];
  for (const f of inputs) {
    const st = await stat(f);
    h.update(`${path.relative(UPSTREAM_SOURCE, f)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest("hex").slice(0, 16);
}

/** mirror.yaml of the shared source, as data: its chart folders, or its git sources. */
async function sourceFolders(
  list: "charts" | "git" = "charts",
): Promise<{ url: string; path: string }[]> {
  const doc = parseDocument(await readFile(path.join(UPSTREAM_SOURCE, "mirror.yaml"), "utf8"));
  return (doc.toJS() as Record<string, { url: string; path: string }[] | undefined>)[list] ?? [];
}

/** The reason recorded for a chart packaged from source (its PACKAGED-FROM-SOURCE line). */
async function packagedFromSource(folder: string, chart: string, version: string): Promise<string> {
  const text = await readFile(path.join(UPSTREAM_SOURCE, folder, "PACKAGED-FROM-SOURCE"), "utf8");
  const line = text.split("\n").find((l) => l.startsWith(`${chart} ${version} <- `));
  if (!line) throw new Error(`${folder}/PACKAGED-FROM-SOURCE does not name ${chart} ${version}`);
  const from = line.split(" <- ")[1]?.replace(/@([0-9a-f]{8})[0-9a-f]+/, "@$1");
  return `the published archive is not available here; packaged from ${from} (PACKAGED-FROM-SOURCE)`;
}

/** A dependency of a chart's Chart.yaml, as its index entry lists it. */
interface Dependency {
  name: string;
  version: string;
  repository: string;
  [key: string]: unknown;
}

/** The dependencies Coffea-Casa's index publishes for the pinned version. */
async function publishedDependencies(): Promise<Dependency[]> {
  const index = parseDocument(
    await readFile(path.join(UPSTREAM_SOURCE, "charts", "coffea-casa", "index.yaml"), "utf8"),
  ).toJS() as { entries: Record<string, { version: string; dependencies?: Dependency[] }[]> };
  const entry = index.entries["coffea-casa"]?.find((e) => e.version === CASA.version);
  if (!entry) throw new Error(`coffea-casa ${CASA.version} is no longer in the mirrored index`);
  return entry.dependencies ?? [];
}

/**
 * The mirror's archive nearest to a dependency's pinned version: the highest version of the
 * same major.minor not above it. Any other choice would not be a stand-in, so it throws.
 */
async function nearestArchive(dep: Dependency): Promise<{ version: string; file: string }> {
  const folder = (await sourceFolders()).find((f) => sameUrl(f.url, dep.repository));
  if (!folder) throw new Error(`the mirror has no folder for ${dep.repository} (${dep.name})`);
  const dir = path.join(UPSTREAM_SOURCE, folder.path);
  const versions = (await readdir(dir))
    .map((f) => new RegExp(`^${dep.name}-(\\d+\\.\\d+\\.\\d+)\\.tgz$`).exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  const [major, minor] = dep.version.split(".");
  const near = versions
    .filter((v) => v.split(".").slice(0, 2).join(".") === `${major}.${minor}`)
    .filter((v) => semver.lte(v, dep.version))
    .sort(semver.compare)
    .at(-1);
  if (!near)
    throw new Error(`the mirror has no ${dep.name} ${major}.${minor}.x at or below ${dep.version}`);
  return { version: near, file: path.join(dir, `${dep.name}-${near}.tgz`) };
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/** Builds the Coffea-Casa substitute archive into `destination`; returns its file name. */
async function buildCasa(destination: string): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), "shoppe-casa-"));
  try {
    const repo = await checkoutCasa(UPSTREAM_SOURCE, work, CASA.tag);
    const dependencies = [];
    for (const dep of await publishedDependencies()) {
      const near = await nearestArchive(dep);
      dependencies.push({ ...dep, version: near.version, file: near.file });
    }
    const archive = await packageCasa(repo, destination, {
      version: CASA.version,
      appVersion: CASA.appVersion,
      dependencies,
      helmHome: path.join(work, "helm"),
    });
    return path.basename(archive);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds the derived mirror into `dir`. */
async function build(dir: string): Promise<void> {
  const folders = await sourceFolders();
  for (const f of folders) {
    await mkdir(path.join(dir, f.path), { recursive: true });
    for (const name of await readdir(path.join(UPSTREAM_SOURCE, f.path))) {
      const to = path.join(dir, f.path, name);
      await copyFile(path.join(UPSTREAM_SOURCE, f.path, name), to);
      await chmod(to, 0o644); // the source is read-only; copies are edited by failure tests
    }
  }
  // The upstream git sources (ServiceX's server, which the service tier checks out), as they are.
  const git = await sourceFolders("git");
  for (const g of git) {
    await mkdir(path.dirname(path.join(dir, g.path)), { recursive: true });
    await copyFile(path.join(UPSTREAM_SOURCE, g.path), path.join(dir, g.path));
  }
  const casaFolder = folders.find((f) => f.url.includes("coffea-casa"));
  const mlflowFolder = folders.find((f) => f.url.includes("community-charts"));
  if (!casaFolder || !mlflowFolder) throw new Error("the shared mirror.yaml changed its folders");
  const casa = await buildCasa(path.join(dir, casaFolder.path));
  const substitutes = [
    {
      repository: casaFolder.url,
      chart: "coffea-casa",
      version: CASA.version,
      archive: `${casaFolder.path}/${casa}`,
      reason: CASA.reason,
    },
    {
      repository: mlflowFolder.url,
      chart: "mlflow",
      version: "1.11.5",
      archive: `${mlflowFolder.path}/mlflow-1.11.5.tgz`,
      reason: await packagedFromSource(mlflowFolder.path, "mlflow", "1.11.5"),
    },
  ];
  const head = "# Derived from the shared upstream mirror by test/support/upstream-mirror.ts.\n";
  await writeFile(
    path.join(dir, "mirror.yaml"),
    `${head}${stringify({ charts: folders, git, substitutes })}`,
  );
}

let built: Promise<string> | undefined;

/**
 * The derived mirror's directory, built on first use (per key, shared between workers and
 * runs). Callers must be inside describeWithUpstream.
 */
export function upstreamMirror(): Promise<string> {
  built ??= (async () => {
    const cache = path.join(ROOT, ".shoppe", "cache", "upstream-mirror");
    const target = path.join(cache, await cacheKey());
    if (existsSync(path.join(target, "mirror.yaml"))) return target;
    await mkdir(cache, { recursive: true });
    const building = path.join(cache, `.building-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      await build(building);
      await rename(building, target);
      // Mirrors of older inputs or recipes are never used again.
      for (const name of await readdir(cache)) {
        if (!name.startsWith(".") && path.join(cache, name) !== target) {
          await rm(path.join(cache, name), { recursive: true, force: true });
        }
      }
    } catch (err) {
      // Another worker published the same key first: use theirs.
      const code = (err as NodeJS.ErrnoException).code;
      if (
        !(code === "ENOTEMPTY" || code === "EEXIST") ||
        !existsSync(path.join(target, "mirror.yaml"))
      )
        throw err;
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    return target;
  })();
  return built;
}
