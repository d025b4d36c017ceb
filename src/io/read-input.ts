/**
 * The one way the project reads an input file. Only a regular file is read (symlinks resolved,
 * a loop named as one); nothing else is ever opened for reading in a way that can block: a FIFO
 * or device is refused from its metadata before the open, the open itself is non-blocking, and
 * the opened descriptor is checked again (the path may have changed in between). The size
 * limit holds for the bytes actually read, not for what `stat` claims (/proc files say 0).
 * Every failure is an InputFileError that names the path and says what to do.
 */
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { InputFileError } from "../errors.js";
import { attempt, fsFailure, kindOf } from "./fs-failure.js";
import { decodeUtf8 } from "./utf8.js";

/** The size limit of a manifest: larger inputs are not manifests. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

/** How an input file is read. */
export interface ReadInputOptions {
  /** How the file is named in messages; defaults to the path as given. */
  shown?: string;
  /** Refuse a file with more bytes than this; default MANIFEST_MAX_BYTES. */
  maxBytes?: number;
}

// O_NONBLOCK: a FIFO swapped in after the check opens without waiting for a writer.
// O_NOFOLLOW: the resolved path is opened, so a symlink swapped in after resolving is refused.
// O_NOCTTY: a terminal device never becomes the controlling terminal.
const OPEN_FLAGS =
  constants.O_RDONLY |
  (constants.O_NONBLOCK ?? 0) |
  (constants.O_NOFOLLOW ?? 0) |
  (constants.O_NOCTTY ?? 0);

/** Small files are read in one call; larger ones in chunks of this size. */
const CHUNK = 1024 * 1024;

/** The bytes of the regular file `file`, at most `maxBytes` of them (see the module comment). */
export async function readInputFile(file: string, options: ReadInputOptions = {}): Promise<Buffer> {
  const shown = options.shown ?? file;
  const maxBytes = options.maxBytes ?? MANIFEST_MAX_BYTES;
  const real = await resolveLinks(file, shown);
  const target = real === path.resolve(file) ? undefined : real;
  const info = await attempt(() => stat(real), shown);
  assertRegular(info, shown, target);
  if (info.size > maxBytes) throw tooLarge(shown, maxBytes, info.size);
  const handle = await attempt(() => open(real, OPEN_FLAGS), shown);
  try {
    const opened = await attempt(() => handle.stat(), shown);
    assertRegular(opened, shown, target);
    return await readAtMost(handle, maxBytes, opened.size, shown);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The text of `file`: read as readInputFile does, decoded as strict UTF-8 (BOM dropped). */
export async function readInputText(file: string, options: ReadInputOptions = {}): Promise<string> {
  return decodeUtf8(await readInputFile(file, options), options.shown ?? file);
}

/** The real path of `file`; a dangling link and a loop are named as such. */
async function resolveLinks(file: string, shown: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (err) {
    const failure = fsFailure(err, shown);
    if (!failure.missing) throw failure;
    const link = await lstat(file).catch(() => undefined);
    if (!link?.isSymbolicLink()) throw failure;
    // A /proc link such as /dev/stdin leads to an object without a path (`pipe:[…]`).
    const pathless = await stat(file).catch(() => undefined);
    if (pathless) {
      throw new InputFileError(
        shown,
        `it resolves to ${kindOf(pathless)} without a path, not a regular file; save the content as a regular file and name that`,
        { cause: err },
      );
    }
    const to = await readlink(file).catch(() => "?");
    throw new InputFileError(
      shown,
      `it is a symbolic link to ${to}, which does not exist; fix the link`,
      { missing: true, cause: err },
    );
  }
}

function assertRegular(info: Stats, shown: string, target: string | undefined): void {
  if (info.isFile()) return;
  if (info.isDirectory() && !target) {
    throw new InputFileError(shown, "it is a directory, not a file; name a file");
  }
  const what = target ? `it resolves to ${target}, ${kindOf(info)}` : `it is ${kindOf(info)}`;
  throw new InputFileError(
    shown,
    `${what}, not a regular file; save the content as a regular file and name that`,
  );
}

function tooLarge(shown: string, maxBytes: number, size?: number): InputFileError {
  const found = size === undefined ? "it has more than" : `${size} bytes is larger than`;
  return new InputFileError(shown, `${found} the ${maxBytes}-byte limit; is this the right file?`);
}

/** Reads until end of file, refusing the file as soon as more than `maxBytes` arrive. */
async function readAtMost(
  handle: FileHandle,
  maxBytes: number,
  sizeHint: number,
  shown: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte past the limit is enough to know the file is too large.
  const limit = maxBytes + 1;
  while (total < limit) {
    const want = Math.min(limit - total, Math.max(sizeHint + 1 - total, 4096), CHUNK);
    const buffer = Buffer.allocUnsafe(want);
    const { bytesRead } = await attempt(() => handle.read(buffer, 0, want, null), shown);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
  }
  if (total > maxBytes) throw tooLarge(shown, maxBytes);
  return Buffer.concat(chunks, total);
}
