/**
 * `helm package` without leftovers: the archive is built in a scratch directory beside the
 * destination, read back with `helm show chart` (name, version and dependencies must be the
 * umbrella's), and only then renamed into place.
 */
import { mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { CheckFailedError } from "../errors.js";
import { makeDirs } from "../fsx/make-dirs.js";
import type { Helm } from "../tools/helm.js";
import type { Umbrella } from "./umbrella.js";

/** Chart.yaml of a packaged archive, as far as the checks need it. */
export interface ArchiveMeta {
  name?: string;
  version?: string;
  dependencies?: { name: string; version: string; alias?: string }[];
}

/** Packages the umbrella into `destination`; returns the archive path and its metadata. */
export async function packageChecked(
  helm: Helm,
  u: Umbrella,
  destination: string,
): Promise<{ file: string; meta: ArchiveMeta }> {
  await makeDirs(destination);
  const scratch = await mkdtemp(path.join(destination, ".package-"));
  try {
    const built = await helm.package(u.chartDir, scratch);
    const meta = parseYaml(await helm.showChart(built)) as ArchiveMeta;
    const problems: string[] = [];
    if (meta.name !== u.name || String(meta.version) !== u.version) {
      problems.push(`it is ${meta.name} ${meta.version}, expected ${u.name} ${u.version}`);
    }
    for (const s of u.sources) {
      const d = meta.dependencies?.find((x) => (x.alias ?? x.name) === s.component);
      if (String(d?.version) !== s.version) {
        problems.push(`${s.component} is ${d?.version ?? "missing"}, pinned ${s.version}`);
      }
    }
    if (problems.length > 0) {
      throw new CheckFailedError(`failed to package ${u.chartShown}: ${problems.join("; ")}`);
    }
    const file = path.join(destination, path.basename(built));
    await rename(built, file);
    return { file, meta };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
