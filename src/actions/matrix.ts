/**
 * `shoppe matrix`: the compatibility matrix of every release the results belong to
 * (docs/badges.md): components × Kubernetes versions × tier, per release, newest first. Each
 * release's results count only when they match its chart version and its stack.yaml (the
 * work tree's for the current release, the `v<version>` tag's for earlier ones). Writes
 * `index.html`, `matrix.md`, `matrix.json` and the runs it shows (`runs/`) into a directory
 * under the ownership rule.
 */
import path from "node:path";
import type { IgnoredRun } from "../compat/counting.js";
import { evaluateRelease } from "../compat/evaluate.js";
import { matrixHtml } from "../compat/matrix-html.js";
import { matrixMarkdown } from "../compat/matrix-markdown.js";
import { type MatrixData, matrixData } from "../compat/matrix-model.js";
import { publishRuns } from "../compat/published-runs.js";
import { currentRelease, releasesOfRuns } from "../compat/releases.js";
import { readRuns } from "../compat/runs.js";
import type { Context } from "../context.js";
import type { DirOwner } from "../fsx/owned-dir.js";
import { type FileBody, writeOwnedDir } from "../fsx/owned-write.js";

/** The marker of a matrix directory. */
export const MATRIX_OWNER: DirOwner = {
  marker: ".shoppe-matrix.json",
  generator: "shoppe matrix",
  preserved: [],
};

/** Options of `shoppe matrix`. */
export interface MatrixOptions {
  file: string;
  /** Results files, or directories searched for results.json (a previous matrix's runs/ too). */
  results: string[];
  out: string;
  /** Where the directory is published: the Markdown's links start with it (else relative). */
  linkBase?: string;
}

/** What `shoppe matrix` wrote. */
export interface MatrixResult {
  out: string;
  matrix: MatrixData;
  /** The Markdown (also in matrix.md), for the README or the release notes. */
  markdown: string;
  files: string[];
}

/** Writes the matrix of the releases `options.results` belong to. */
export async function matrix(ctx: Context, options: MatrixOptions): Promise<MatrixResult> {
  const current = await currentRelease(ctx.root, options.file);
  const runs = await readRuns(ctx.root, options.results);
  const { releases, ignored: unknown } = await releasesOfRuns(ctx, current, runs);
  const unknownFiles = new Set(unknown.map((i) => i.file));
  const reports = releases.map((rel) => ({
    ...evaluateRelease(
      rel.identity,
      rel.components,
      runs.filter((r) => r.results.chart.version === rel.identity.version),
    ),
    current: rel.current,
  }));
  const ignored: IgnoredRun[] = [
    ...unknown,
    ...reports.flatMap((r) => r.ignored).filter((i) => !unknownFiles.has(i.file)),
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const i of ignored) ctx.logger.warn(`ignored ${i.file}: ${i.why}`);
  const published = await publishRuns(reports.flatMap((r) => r.counted));
  const data = matrixData(current.identity.name, reports, ignored, (p) => {
    const links = published.links.get(p);
    if (!links) throw new Error(`no published run for ${p}`);
    return links;
  });
  const markdown = matrixMarkdown(data, options.linkBase ?? "");
  const files = new Map<string, FileBody>([
    ["index.html", matrixHtml(data)],
    ["matrix.md", markdown],
    ["matrix.json", `${JSON.stringify(data, null, 2)}\n`],
    ...published.files,
  ]);
  await writeOwnedDir(
    path.resolve(ctx.root, options.out),
    MATRIX_OWNER,
    {
      root: ctx.root,
      shown: options.out,
      verb: "write the matrix into",
      hint: `name a new or empty directory, or one shoppe matrix wrote (it holds ${MATRIX_OWNER.marker})`,
    },
    files,
    "matrix",
  );
  return { out: options.out, matrix: data, markdown, files: [...files.keys()].sort() };
}
