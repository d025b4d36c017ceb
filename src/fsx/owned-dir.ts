/**
 * The ownership rule for every command that writes a directory: it only ever deletes or
 * replaces what it wrote itself. A directory may be written when it is missing, empty, or
 * carries the command's marker file, which lists the files the previous run wrote; anything
 * else there (other than entries another step owns, the `preserved` ones) is a stranger, and
 * the command refuses rather than delete it. The project root, any directory containing it,
 * anything that looks like a project, a symbolic link and anything that is not a directory
 * are refused outright. Where the directory is (inside the project or not) does not matter:
 * writing a missing directory anywhere is safe. Every refusal is an InputError (exit 2).
 */
import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";

/** A command that owns the directories it writes, known by the marker it leaves in them. */
export interface DirOwner {
  /** Marker file at the top of an owned directory, e.g. ".shoppe-render.json". */
  marker: string;
  /** The command, as the marker's `generator` and messages name it, e.g. "shoppe render". */
  generator: string;
  /** Top-level entries another step owns inside the directory: kept, never listed. */
  preserved: readonly string[];
}

/** A directory as its owner sees it. */
export interface OwnedDir {
  /** missing: to be created; empty: an empty directory; owned: it carries the marker. */
  state: "missing" | "empty" | "owned";
  /** Files the marker lists (what the previous run wrote), sorted; [] unless owned. */
  listed: string[];
  /** The marker's bytes as found; undefined unless owned. */
  markerText?: string;
  /** Entries neither listed, nor preserved, nor the marker (directories end in "/"). */
  strangers: string[];
}

/** Who asks, for the checks and the messages. */
export interface OwnedDirUse {
  /** The project root: never written, nor any directory that contains it. */
  root: string;
  /** The directory as the user named it. */
  shown: string;
  /** What the command does to it, for "failed to <verb> <shown>", e.g. "render into". */
  verb: string;
  /** The rule in the caller's words and what to do instead; ends every refusal. */
  hint: string;
}

/** Entries that make a directory a project (or a repository) rather than generated output. */
const PROJECT_ENTRIES = ["stack.yaml", ".git", "package.json"];

/** Markers are a few kilobytes; anything far larger is not one. */
const MARKER_LIMIT = 1 << 20;

/** The marker's bytes for a run that wrote `files` (relative paths): deterministic. */
export function markerText(owner: DirOwner, files: Iterable<string>): string {
  const sorted = [...new Set(files)].sort(byteOrder);
  return `${JSON.stringify({ generator: owner.generator, files: sorted }, null, 2)}\n`;
}

/** Inspects `dir` for `owner`; refuses (InputError) what may never be written. */
export async function inspectOwnedDir(
  dir: string,
  owner: DirOwner,
  use: OwnedDirUse,
): Promise<OwnedDir> {
  const refuse = refusal(use);
  const st = await lstatOrMissing(dir, refuse);
  if (!st) {
    await requireDirectoryAncestor(dir, refuse);
    return { state: "missing", listed: [], strangers: [] };
  }
  if (st.isSymbolicLink())
    throw refuse(`it is a symbolic link (to write where it points, give that path)`);
  if (!st.isDirectory()) throw refuse(`it is ${fileKind(st)}, not a directory`);
  await refuseProjectRoot(dir, use.root, refuse);
  const names = await guard(() => readdir(dir), refuse);
  const project = PROJECT_ENTRIES.find((n) => names.includes(n));
  if (project) throw refuse(`it looks like a project (it contains ${project})`);
  if (names.length === 0) return { state: "empty", listed: [], strangers: [] };
  if (!names.includes(owner.marker)) {
    throw refuse(
      names.includes("Chart.yaml")
        ? `it is a chart ${owner.generator} did not write (it has no ${owner.marker}), such as a first-party chart`
        : `it is not empty and has no ${owner.marker}, so ${owner.generator} did not write it`,
    );
  }
  const text = await readMarker(path.join(dir, owner.marker), refuse);
  const listed = parseMarker(text, owner, refuse);
  const strangers = await guard(() => findStrangers(dir, listed, owner), refuse);
  return { state: "owned", listed, markerText: text, strangers };
}

/** inspectOwnedDir, and refuses a directory holding anything the owner did not write. */
export async function claimOwnedDir(
  dir: string,
  owner: DirOwner,
  use: OwnedDirUse,
): Promise<OwnedDir> {
  const found = await inspectOwnedDir(dir, owner, use);
  if (found.strangers.length === 0) return found;
  const shown = found.strangers.slice(0, 10).join(", ");
  const more = found.strangers.length > 10 ? ` and ${found.strangers.length - 10} more` : "";
  const [is, it] = found.strangers.length === 1 ? ["is", "it"] : ["are", "them"];
  throw new InputError(
    `failed to ${use.verb} ${use.shown}: ${shown}${more} ${is} not listed in ${owner.marker}, so ${owner.generator} did not write ${it} and will not delete ${it}; move ${it} out of ${use.shown} or delete ${it} yourself, then run again`,
  );
}

/** Refuses unless `dir` carries `owner`'s marker (for a step that adds to what owner wrote). */
export async function requireOwnedDir(
  dir: string,
  owner: DirOwner,
  use: OwnedDirUse,
): Promise<OwnedDir> {
  const found = await inspectOwnedDir(dir, owner, use);
  if (found.state === "owned") return found;
  throw refusal(use)(found.state === "missing" ? "it does not exist" : "it is empty");
}

type Refuse = (why: string) => InputError;

function refusal(use: OwnedDirUse): Refuse {
  return (why) => new InputError(`failed to ${use.verb} ${use.shown}: ${why}; ${use.hint}`);
}

/** Runs a file-system step; its failure is a refusal naming the error (EACCES, ELOOP…). */
async function guard<T>(step: () => Promise<T>, refuse: Refuse): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw refuse(`it cannot be read (${(err as Error).message})`);
  }
}

async function lstatOrMissing(p: string, refuse: Refuse): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (err) {
    // ENOTDIR: a parent is not a directory, which requireDirectoryAncestor names.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw refuse(`it cannot be read (${(err as Error).message})`);
  }
}

/**
 * A missing directory is created with its parents: the nearest existing one must be a
 * directory, and no parent may be a dangling symbolic link (a directory cannot be made
 * through one).
 */
async function requireDirectoryAncestor(dir: string, refuse: Refuse): Promise<void> {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    try {
      const st = await stat(p);
      if (!st.isDirectory()) throw refuse(`${p} is ${fileKind(st)}, not a directory`);
      return;
    } catch (err) {
      if (err instanceof InputError) throw err;
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || p === path.dirname(p)) {
        throw refuse(`${p} cannot be read (${(err as Error).message})`);
      }
      const target = await readlink(p).catch(() => undefined);
      if (target !== undefined) {
        throw refuse(`${p} is a symbolic link to ${target}, which does not exist`);
      }
    }
  }
}

async function refuseProjectRoot(dir: string, root: string, refuse: Refuse): Promise<void> {
  const real = await guard(() => realpath(dir), refuse);
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const rel = path.relative(real, realRoot);
  if (rel === "") throw refuse("it is the project root");
  if (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) {
    throw refuse(`it contains the project root ${realRoot}`);
  }
}

function fileKind(st: Stats): string {
  if (st.isFile()) return "a regular file";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a directory";
}

/** Reads the marker without following a link or blocking on a FIFO, up to MARKER_LIMIT bytes. */
async function readMarker(file: string, refuse: Refuse): Promise<string> {
  const name = path.basename(file);
  const handle = await guard(
    () => open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK),
    (why) => refuse(`${name}: ${why}`),
  );
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse(`${name} is ${fileKind(st)}, not a marker file`);
    if (st.size > MARKER_LIMIT) throw refuse(`${name} is larger than a marker can be`);
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buf, 0, st.size, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

function parseMarker(text: string, owner: DirOwner, refuse: Refuse): string[] {
  const bad = (why: string) =>
    refuse(`${owner.marker} is not a marker ${owner.generator} wrote (${why})`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw bad("not an object");
  const { generator, files } = doc as Record<string, unknown>;
  if (generator !== owner.generator) throw bad(`generator is ${JSON.stringify(generator)}`);
  if (!Array.isArray(files)) throw bad("files is not a list");
  for (const f of files) {
    if (typeof f !== "string" || !isPlainRelative(f)) throw bad(`${JSON.stringify(f)} in files`);
  }
  return [...new Set(files as string[])].sort(byteOrder);
}

/** A relative path with "/" separators, no empty, "." or ".." segment, no NUL or backslash. */
function isPlainRelative(p: string): boolean {
  if (p === "" || /[\\\0]/.test(p)) return false;
  return p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Entries under `dir` that are not listed files, their directories, preserved or the marker. */
async function findStrangers(dir: string, listed: string[], owner: DirOwner): Promise<string[]> {
  const files = new Set(listed);
  const dirs = new Set(
    listed.flatMap((f) =>
      f
        .split("/")
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join("/")),
    ),
  );
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && (e.name === owner.marker || owner.preserved.includes(e.name))) continue;
      if (e.isDirectory() && dirs.has(p)) await walk(p);
      else if (!(e.isFile() && files.has(p))) out.push(e.isDirectory() ? `${p}/` : p);
    }
  };
  await walk("");
  return out.sort(byteOrder);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
