/**
 * What a file-system failure means for the user: every errno an input read can meet, and every
 * kind of file that is not a regular one, as a sentence that says what to do.
 */
import type { Dirent, Stats } from "node:fs";
import { InputFileError } from "../errors.js";

/** Why an errno stops a read, and the way out. */
const ERRNO_REASONS: Record<string, string> = {
  ENOENT: "no such file; check the path",
  EACCES: "permission denied; make it readable (chmod u+r) or run as a user who may read it",
  EPERM: "operation not permitted; make it readable or run as a user who may read it",
  EISDIR: "it is a directory, not a file; name a file",
  ELOOP: "too many levels of symbolic links (a symlink loop?); fix the link",
  ENAMETOOLONG: "the path is too long; use a shorter path",
  ENOTDIR: "a part of the path is not a directory; check the path",
  EMFILE: "too many open files in this process; raise the limit (ulimit -n) and retry",
  ENFILE: "too many open files on this system; close some programs and retry",
  EIO: "an input/output error; the device or file system failed, or it is a special file that cannot be read",
  EAGAIN:
    "reading it would block (a special file, not a regular one); copy the content to a regular file",
  ENXIO: "no such device or address (a socket or a device); name a regular file",
  ENODEV: "no such device; name a regular file",
  EINVAL: "the system refused to read it (a special file?); name a regular file",
  EBUSY: "the file is busy; retry when it is free",
  EOVERFLOW: "the file is too large for this system to read",
};

/** The InputFileError for a failed file-system call on `shown`. */
export function fsFailure(err: unknown, shown: string): InputFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known =
    code === undefined ? undefined : ERRNO_REASONS[code === "EWOULDBLOCK" ? "EAGAIN" : code];
  const reason = known ?? `${code ?? "error"}: ${err instanceof Error ? err.message : String(err)}`;
  return new InputFileError(shown, reason, { missing: code === "ENOENT", cause: err });
}

/** Runs a file-system call, turning its failure into an InputFileError for `shown`. */
export async function attempt<T>(call: () => Promise<T>, shown: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fsFailure(err, shown);
  }
}

/** "a named pipe (FIFO)", "a socket", … for anything that is not a regular file. */
export function kindOf(entry: Stats | Dirent): string {
  if (entry.isDirectory()) return "a directory";
  if (entry.isFIFO()) return "a named pipe (FIFO)";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice()) return "a character device";
  if (entry.isBlockDevice()) return "a block device";
  if (entry.isSymbolicLink()) return "a symbolic link";
  return entry.isFile() ? "a regular file" : "a special file";
}
