/**
 * What `chart deps` needs around helm: the HTTP repositories added to the private helm home
 * (from stack.yaml, pitfall 2), the plain-HTTP default for loopback registries, and the lock
 * read back with a sha256 per archive (Chart.lock's own digest covers metadata only, pitfall 5).
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { CommandError } from "../errors.js";
import { attempt } from "../io/fs-failure.js";
import { readInputFile } from "../io/read-input.js";
import { parseYamlFile } from "../manifest/parse.js";
import type { Helm } from "../tools/helm.js";
import { explainHelmError } from "./explain.js";
import { type HttpRepository, httpRepositories } from "./repositories.js";
import type { Umbrella } from "./umbrella.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/** One locked dependency. */
export interface LockedDependency {
  component: string;
  name: string;
  version: string;
  repository: string;
  /** The archive in charts/ and its sha256 (Chart.lock's digest covers metadata only). */
  archive: string | undefined;
  sha256: string | undefined;
}

/**
 * True when the umbrella has OCI dependencies and all are on loopback: Helm 4 needs
 * --plain-http for a registry without TLS (Helm 3.22 falls back to HTTP for loopback by itself
 * and accepts the flag once the HTTP repositories are added).
 */
export function loopbackRegistriesOnly(u: Umbrella): boolean {
  const oci = u.sources.filter((s) => s.kind === "oci");
  return oci.length > 0 && oci.every((s) => LOOPBACK.test(s.registry ?? ""));
}

/** Adds every HTTP repository of stack.yaml to helm's private home; an unreachable one is named. */
export async function addRepositories(helm: Helm, u: Umbrella): Promise<HttpRepository[]> {
  const repos = httpRepositories(u.sources);
  for (const r of repos) {
    try {
      await helm.repoAdd(r.name, r.url);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      throw explainHelmError(err, { verb: `add the chart repository ${r.url}`, umbrella: u });
    }
  }
  return repos;
}

/** Chart archives past this size are refused: published charts are a few MiB at most. */
const ARCHIVE_MAX_BYTES = 256 * 1024 * 1024;

/** sha256 of a chart archive, hex; `shown` names it in messages. */
export async function sha256(file: string, shown = file): Promise<string> {
  const bytes = await readInputFile(file, { shown, maxBytes: ARCHIVE_MAX_BYTES });
  return createHash("sha256").update(bytes).digest("hex");
}

/** Chart.lock and charts/ read back, one entry per dependency. */
export async function lockedDependencies(
  u: Umbrella,
): Promise<{ digest?: string; deps: LockedDependency[] }> {
  const lockShown = path.join(u.chartShown, "Chart.lock");
  const lock = (await parseYamlFile(path.join(u.chartDir, "Chart.lock"), lockShown)).value as {
    digest?: string;
    dependencies?: { name: string; version: string; repository: string }[];
  } | null;
  const chartsDir = path.join(u.chartDir, "charts");
  const archives = await attempt(() => readdir(chartsDir), path.join(u.chartShown, "charts"));
  const locks = Array.isArray(lock?.dependencies) ? lock.dependencies : [];
  const deps: LockedDependency[] = [];
  for (const d of u.dependencies) {
    const locked = locks.find((l) => l?.name === d.name && l.repository === d.repository);
    const version = String(locked?.version ?? d.version);
    const archive = archives.find((a) => a === `${d.name}-${version}.tgz`);
    deps.push({
      component: d.component,
      name: d.name,
      version,
      repository: d.repository,
      archive,
      sha256: archive
        ? await sha256(path.join(chartsDir, archive), path.join(u.chartShown, "charts", archive))
        : undefined,
    });
  }
  return { ...(typeof lock?.digest === "string" ? { digest: lock.digest } : {}), deps };
}
