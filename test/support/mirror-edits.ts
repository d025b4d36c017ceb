/** Broken variants of a mirror for failure tests: a writable copy to edit, a hand-made archive. */
import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { createContext } from "../../src/context.js";
import { ROOT } from "../helpers/tools.js";
import { type TempDir, tempDir } from "./temp.js";

/** A copy of the mirror at `dir`, changed by `edit`; remove it when done. */
export async function copyMirror(
  dir: string,
  edit: (copy: string) => Promise<void>,
): Promise<TempDir> {
  const copy = await tempDir("mirror-copy");
  await cp(dir, copy.path, { recursive: true });
  await edit(copy.path);
  return copy;
}

/**
 * A chart archive made with tar, not helm (helm refuses to package a chart whose dependencies
 * are missing, which is the archive a failure test needs).
 */
export async function tarChart(
  file: string,
  chartYaml: { name: string } & Record<string, unknown>,
  valuesYaml = "",
): Promise<void> {
  const work = await tempDir("tar-chart");
  try {
    const dir = path.join(work.path, chartYaml.name);
    await mkdir(path.join(dir, "templates"), { recursive: true });
    await writeFile(path.join(dir, "Chart.yaml"), stringify(chartYaml));
    await writeFile(path.join(dir, "values.yaml"), valuesYaml);
    const ctx = createContext({ root: ROOT });
    await ctx.runner.run("tar", ["-czf", file, "-C", work.path, chartYaml.name]);
  } finally {
    await work.remove();
  }
}
