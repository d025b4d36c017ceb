/**
 * The real archives of the charts stack.yaml pins from HTTP repositories, for the loopback
 * servers that publish them to the chart tests: taken from the derived upstream mirror (with
 * the substitutes it declares), or, where SHOPPE_UPSTREAM_NETWORK=1 and there is no mirror,
 * pulled with helm from the upstream repositories stack.yaml names, once per set of pins
 * (cached under .shoppe/cache/upstream-charts/<key>, published by one rename like the mirror).
 * Callers must be inside describeWithRealCharts.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { createContext } from "../../src/context.js";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { MirrorResolver, type PinnedChart } from "../../src/mirror/resolve.js";
import { openHelm } from "../../src/tools/helm.js";
import { ROOT } from "../helpers/tools.js";
import { realStack } from "./real-project.js";
import { upstreamMirror, upstreamMode } from "./upstream-mirror.js";

/** One pinned chart and the real archive that stands for it. */
export interface RealArchive extends PinnedChart {
  /** Absolute path of the archive; shared and read-only to tests: copy it before changing it. */
  file: string;
  /** Why the archive is not the published one (a substitute the mirror declares), if so. */
  substitute?: string;
}

/** A component of stack.yaml, as far as its chart goes. */
interface Component {
  chart: { repository?: string; name: string; version: string };
}

/** The components of the real stack.yaml whose chart comes from an HTTP repository. */
async function pinnedCharts(): Promise<PinnedChart[]> {
  const stack = await realStack();
  const out: PinnedChart[] = [];
  for (const [component, c] of Object.entries(stack.components) as [string, Component][]) {
    const repository = c.chart?.repository;
    if (repository && /^https?:\/\//.test(repository)) {
      out.push({ component, repository, chart: c.chart.name, version: String(c.chart.version) });
    }
  }
  return out;
}

/** Each pin resolved in the derived mirror, checked as `chart deps --mirror` checks it. */
async function fromMirror(pins: PinnedChart[]): Promise<RealArchive[]> {
  const resolver = new MirrorResolver(await loadMirror(await upstreamMirror()));
  const out: RealArchive[] = [];
  for (const p of pins) {
    const r = await resolver.resolve(p);
    out.push({ ...p, file: r.archive, ...(r.substitute ? { substitute: r.substitute } : {}) });
  }
  return out;
}

/** `helm repo add` and `helm pull` of every pin into `dir`, with a throwaway helm home. */
async function pull(pins: PinnedChart[], dir: string): Promise<void> {
  const ctx = createContext({ root: ROOT });
  const helm = openHelm(ctx, "v4", path.join(dir, ".helm"));
  const names = new Map<string, string>();
  for (const p of pins) {
    let name = names.get(p.repository);
    if (!name) {
      name = `upstream-${names.size}`;
      names.set(p.repository, name);
      await helm.repoAdd(name, p.repository);
    }
    await helm.pull(`${name}/${p.chart}`, { version: p.version, destination: dir });
  }
  await rm(path.join(dir, ".helm"), { recursive: true, force: true });
}

/** The pins pulled from upstream, cached per set of pins and shared between workers. */
async function fromNetwork(pins: PinnedChart[]): Promise<RealArchive[]> {
  const key = createHash("sha256")
    .update(pins.map((p) => `${p.repository} ${p.chart} ${p.version}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const cache = path.join(ROOT, ".shoppe", "cache", "upstream-charts");
  const target = path.join(cache, key);
  const files = pins.map((p) => path.join(target, `${p.chart}-${p.version}.tgz`));
  if (!files.every((f) => existsSync(f))) {
    const building = path.join(cache, `.building-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(building, { recursive: true });
    try {
      await pull(pins, building);
      await rename(building, target);
    } catch (err) {
      // Another worker published the same key first: use theirs.
      if (!files.every((f) => existsSync(f))) throw err;
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    for (const name of await readdir(cache)) {
      if (!name.startsWith(".") && name !== key)
        await rm(path.join(cache, name), { recursive: true });
    }
  }
  return pins.map((p, i) => ({ ...p, file: files[i] as string }));
}

let found: Promise<RealArchive[]> | undefined;

/** The real archive of every chart stack.yaml pins from an HTTP repository, in stack order. */
export function realArchives(): Promise<RealArchive[]> {
  found ??= pinnedCharts().then((pins) => {
    const mode = upstreamMode();
    if (mode === "mirror") return fromMirror(pins);
    if (mode === "network") return fromNetwork(pins);
    throw new Error("no upstream mirror and no network: use describeWithRealCharts");
  });
  return found;
}
