/**
 * Coffea-Casa's chart source from the mirrored git repository (`git/coffea-casa.git`, a
 * bundle): a checkout at a tag, and the chart in it packaged as chartpress would publish it
 * (CalVer tag `YYYY.MM.DD[.N]` → chart version `YYYY.MMDD.N`, dependencies bundled).
 */
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { createContext } from "../../src/context.js";
import { openHelm } from "../../src/tools/helm.js";
import { ROOT } from "../helpers/tools.js";

/** Clones the bundle into `work` and checks out `tag`; returns the repository directory. */
export async function checkoutCasa(source: string, work: string, tag: string): Promise<string> {
  const ctx = createContext({ root: ROOT });
  const repo = path.join(work, "coffea-casa");
  await ctx.runner.run("git", [
    "clone",
    "--quiet",
    path.join(source, "git", "coffea-casa.git"),
    repo,
  ]);
  await ctx.runner.run("git", ["-C", repo, "checkout", "--quiet", tag]);
  return repo;
}

/** The chart version chartpress publishes for a CalVer tag: 2026.08.12.2 → 2026.812.2. */
export function chartVersionOfTag(tag: string): string {
  const [y, m, d, n] = tag.split(".");
  return `${y}.${Number(m)}${d}.${n ?? 0}`;
}

/**
 * Packages `charts/coffea-casa` of `repo` into `destination` with the given version and
 * dependencies (each `{…dependency, file}`: the Chart.yaml entry and the archive to bundle);
 * returns the archive's path.
 */
export async function packageCasa(
  repo: string,
  destination: string,
  o: {
    version: string;
    appVersion: string;
    dependencies: (Record<string, unknown> & { file: string })[];
    helmHome: string;
  },
): Promise<string> {
  const chart = path.join(repo, "charts", "coffea-casa");
  const doc = parseDocument(await readFile(path.join(chart, "Chart.yaml"), "utf8"));
  doc.set("version", o.version);
  doc.set("appVersion", o.appVersion);
  doc.set(
    "dependencies",
    o.dependencies.map(({ file: _file, ...d }) => d),
  );
  await writeFile(path.join(chart, "Chart.yaml"), doc.toString());
  await rm(path.join(chart, "charts"), { recursive: true, force: true });
  await mkdir(path.join(chart, "charts"));
  for (const d of o.dependencies) {
    await copyFile(d.file, path.join(chart, "charts", path.basename(d.file)));
  }
  const helm = openHelm(createContext({ root: ROOT }), "v4", o.helmHome);
  return helm.package(chart, destination);
}
