/**
 * The e2e results the badge and the matrix read: files named on the command line, or
 * directories searched for `results.json` (the layout `shoppe e2e run --results` writes and
 * the layout the matrix page republishes), each read with the results' own zod model.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { E2eResults } from "../e2e/results/model.js";
import { InputError } from "../errors.js";
import { readResults } from "../release/notes/results.js";

/** One results file and what it says. */
export interface RunFile {
  /** The path as shown to people: relative to the project root when inside it. */
  file: string;
  /** Absolute path. */
  path: string;
  results: E2eResults;
}

/** The file name `shoppe e2e run` gives a run's results. */
export const RESULTS_FILE = "results.json";

/** More results files than this in one invocation is a wrong directory, not a history. */
const MAX_FILES = 10_000;

function shownPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : abs;
}

/** Every `results.json` under `dir`, not following links, in byte order of their paths. */
async function walk(dir: string, out: string[], shown: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`failed to read ${shown}: ${(err as Error).message}`);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out, shown);
    else if (e.isFile() && e.name === RESULTS_FILE) out.push(p);
    if (out.length > MAX_FILES) {
      throw new InputError(
        `failed to read ${shown}: more than ${MAX_FILES} ${RESULTS_FILE} files under it; name the results directories of the releases to show`,
      );
    }
  }
}

/**
 * The results files `inputs` name (a file is taken as it is; a directory is searched for
 * `results.json`), each once, in the order given. InputError when an input does not exist or
 * a directory holds no results.
 */
export async function findResultFiles(root: string, inputs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(root, input);
    const st = await lstat(abs).catch((err: NodeJS.ErrnoException) => {
      const why = err.code === "ENOENT" ? "it does not exist" : err.message;
      throw new InputError(`failed to read the e2e results ${input}: ${why}`);
    });
    if (!st.isDirectory()) {
      found.push(abs);
      continue;
    }
    const inDir: string[] = [];
    await walk(abs, inDir, input);
    if (inDir.length === 0) {
      throw new InputError(
        `failed to read the e2e results ${input}: no ${RESULTS_FILE} under it; name a directory shoppe e2e run --results wrote, or results files`,
      );
    }
    found.push(...inDir);
  }
  return [...new Set(found)];
}

/** Reads every results file `inputs` name; InputError naming a file that is not one. */
export async function readRuns(root: string, inputs: readonly string[]): Promise<RunFile[]> {
  if (inputs.length === 0) {
    throw new InputError(
      "failed to read the e2e results: none named; give results.json files or directories shoppe e2e run --results wrote",
    );
  }
  const files = await findResultFiles(root, inputs);
  const runs: RunFile[] = [];
  for (const abs of files) {
    const file = shownPath(root, abs);
    runs.push({ file, path: abs, results: await readResults(root, file) });
  }
  return runs;
}
