/**
 * Replaces a file the update commands own (stack.lock, an edited stack.yaml) the safe way: the
 * new text is written beside it, optionally checked, then renamed over it, so a reader never
 * sees half a file and a failed check leaves the old one. Only a regular file (or none) is
 * replaced: a symlink, directory or FIFO in its place is refused, never written through. A
 * write that fails is one sentence naming the file and the errno, never a stack trace.
 */
import { randomBytes } from "node:crypto";
import { chmod, lstat, readFile, readlink, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError, ShoppeError } from "../errors.js";
import { kindOf } from "../io/fs-failure.js";

/** Writes `text` to `file` (shown as `shown`) unless it holds it; true when it wrote. */
export async function replaceFile(
  file: string,
  shown: string,
  text: string,
  check?: (aside: string) => Promise<void>,
): Promise<boolean> {
  const found = await lstat(file).catch(() => undefined);
  // Renaming over a link would silently turn it into a copy; writing through it would change
  // a file elsewhere. A directory, FIFO or device is no file to replace.
  if (found?.isSymbolicLink()) {
    throw new InputError(
      `failed to write ${shown}: it is a symbolic link to ${await readlink(file)}, which a rewrite would replace by a copy; name the file it points to instead`,
    );
  }
  if (found && !found.isFile()) {
    throw new InputError(
      `failed to write ${shown}: it is ${kindOf(found)}, not a regular file; name a regular file`,
    );
  }
  if (found && (await readFile(file, "utf8").catch(() => undefined)) === text) return false;
  const aside = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    // The replacement keeps the permissions of the file it replaces (a private stack stays so).
    await writeFile(aside, text, found ? { mode: found.mode & 0o777 } : {})
      .then(() => found && chmod(aside, found.mode & 0o777))
      .catch((err) => {
        throw failed(shown, err);
      });
    await check?.(aside);
    await rename(aside, file).catch((err) => {
      throw failed(shown, err);
    });
  } finally {
    await rm(aside, { force: true });
  }
  return true;
}

function failed(shown: string, err: unknown): ShoppeError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new InputError(
      `failed to write ${shown}: its directory does not exist; create it or name another path`,
      [],
      { cause: err },
    );
  }
  return new ShoppeError(
    `failed to write ${shown}: ${code}; check that its directory is writable and has space`,
    { cause: err },
  );
}
