/**
 * Reads back a directory the project wrote (a rendered chart): every regular file, through
 * readInputFile. Anything else in it is refused by name rather than opened: a FIFO, socket or
 * device, a link that leaves the directory or dangles, and more files than such a directory
 * can hold. Symbolic links to files inside the directory are read as those files.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { InputFileError } from "../errors.js";
import { attempt, fsFailure, kindOf } from "./fs-failure.js";
import { MANIFEST_MAX_BYTES, readInputFile } from "./read-input.js";

/** How a directory is read back. */
export interface ReadTreeOptions {
  /** How the directory is named in messages; defaults to the path as given. */
  shown?: string;
  /** Top-level entries that are not read (another step owns them). */
  skip?: readonly string[];
  /** The size limit of each file; default MANIFEST_MAX_BYTES. */
  maxBytes?: number;
  /** Refuse a directory with more files than this; default 10,000. */
  maxFiles?: number;
}

/**
 * Every regular file under `dir`, keyed by its `/`-separated relative path, in sorted order;
 * undefined when `dir` does not exist.
 */
export async function readInputTree(
  dir: string,
  options: ReadTreeOptions = {},
): Promise<Map<string, Buffer> | undefined> {
  const shown = options.shown ?? dir;
  const maxFiles = options.maxFiles ?? 10_000;
  let root: string;
  try {
    root = await realpath(dir);
  } catch (err) {
    const failure = fsFailure(err, shown);
    if (failure.missing) return undefined;
    throw failure;
  }
  const info = await attempt(() => stat(root), shown);
  if (!info.isDirectory()) {
    throw new InputFileError(shown, `it is ${kindOf(info)}, not a directory; name a directory`);
  }
  const out = new Map<string, Buffer>();
  const pending = [""];
  for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
    const here = path.join(root, rel);
    const entries = await attempt(
      () => readdir(here, { withFileTypes: true }),
      path.join(shown, rel),
    );
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && options.skip?.includes(e.name)) continue;
      const entryShown = path.join(shown, relPath);
      if (e.isDirectory()) {
        pending.push(relPath);
        continue;
      }
      if (e.isSymbolicLink()) await assertInside(path.join(root, relPath), root, entryShown, shown);
      else if (!e.isFile()) {
        throw new InputFileError(
          entryShown,
          `it is ${kindOf(e)}; ${shown} may hold only files and directories, remove it`,
        );
      }
      if (out.size >= maxFiles) {
        throw new InputFileError(
          shown,
          `it holds more than ${maxFiles} files; this is not a directory shoppe wrote`,
        );
      }
      out.set(
        relPath,
        await readInputFile(path.join(root, relPath), {
          shown: entryShown,
          maxBytes: options.maxBytes ?? MANIFEST_MAX_BYTES,
        }),
      );
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Refuses a symbolic link that points outside `root` (readInputFile names a dangling one). */
async function assertInside(
  link: string,
  root: string,
  shown: string,
  dirShown: string,
): Promise<void> {
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined) return;
  const rel = path.relative(root, target);
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new InputFileError(
      shown,
      `it is a symbolic link to ${target}, outside ${dirShown}; remove the link`,
    );
  }
}
