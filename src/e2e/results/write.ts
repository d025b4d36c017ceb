/**
 * The results directory (default `.shoppe/e2e/`): one subdirectory per run holding
 * `results.json`, `junit.xml`, `summary.md` and, after a failure, `bundle.tar.gz`. It follows
 * the ownership rule (src/fsx/owned-dir.ts): written only when missing, empty or carrying
 * `.shoppe-e2e.json`, which lists every file the runs wrote. A run's files are written in a
 * scratch directory beside it and renamed in, so a killed run leaves no half-written run.
 */
import { appendFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeDirs } from "../../fsx/make-dirs.js";
import { claimOwnedDir, type DirOwner, markerText } from "../../fsx/owned-dir.js";
import { writeFailure } from "../../fsx/owned-write.js";
import { deadScratch, scratchPath } from "../../fsx/scratch.js";
import { junitXml } from "./junit.js";
import { markdownSummary } from "./markdown.js";
import type { E2eResults } from "./model.js";

/** The marker of a results directory. */
export const RESULTS_OWNER: DirOwner = {
  marker: ".shoppe-e2e.json",
  generator: "shoppe e2e run",
  preserved: [],
};

/** Where results go and how the user named it. */
export interface ResultsDir {
  /** Absolute. */
  dir: string;
  shown: string;
  root: string;
}

function use(r: ResultsDir, verb: string) {
  return {
    root: r.root,
    shown: r.shown,
    verb,
    hint: `shoppe e2e run writes results only into a directory that is missing, empty or holds ${RESULTS_OWNER.marker}; name another with --results`,
  };
}

/** Refuses (InputError, exit 2) a results directory the run may not write, before it starts. */
export async function checkResultsDir(r: ResultsDir): Promise<void> {
  await claimOwnedDir(r.dir, RESULTS_OWNER, use(r, "write results into"));
}

/** The files of one run, by name inside its directory. */
export function runFiles(
  results: E2eResults,
  bundle: Buffer | undefined,
): Record<string, string | Buffer> {
  return {
    "results.json": `${JSON.stringify(results, null, 2)}\n`,
    "junit.xml": junitXml([results]),
    "summary.md": markdownSummary(results),
    ...(bundle ? { "bundle.tar.gz": bundle } : {}),
  };
}

/**
 * Writes one run's files into `<dir>/<runDir>/` and lists them in the marker; returns the run
 * directory's absolute path.
 */
export async function writeRun(
  r: ResultsDir,
  runDir: string,
  files: Record<string, string | Buffer>,
): Promise<string> {
  const parent = path.dirname(r.dir);
  const writing = use(r, "write results into");
  const scratch = scratchPath(r.dir, "results");
  try {
    await makeDirs(parent);
    for (const s of deadScratch(r.dir, await readdir(parent), ["results"])) {
      await rm(path.join(parent, s.name), { recursive: true, force: true });
    }
  } catch (err) {
    throw writeFailure(err, writing);
  }
  const owned = await claimOwnedDir(r.dir, RESULTS_OWNER, writing);
  try {
    await mkdir(scratch);
    for (const [name, body] of Object.entries(files)) {
      await writeFile(path.join(scratch, name), body);
    }
    await makeDirs(r.dir);
    const target = path.join(r.dir, runDir);
    await rename(scratch, target);
    const listed = [...owned.listed, ...Object.keys(files).map((f) => `${runDir}/${f}`)];
    const marker = path.join(r.dir, RESULTS_OWNER.marker);
    const tmp = `${marker}.${process.pid}.tmp`;
    await writeFile(tmp, markerText(RESULTS_OWNER, listed));
    await rename(tmp, marker);
    return target;
  } catch (err) {
    throw writeFailure(err, writing);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Appends the run's summary to the GitHub step summary file, when the job names one. */
export async function appendStepSummary(
  env: NodeJS.ProcessEnv,
  results: E2eResults,
): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) await appendFile(file, `${markdownSummary(results)}\n`);
}
