/**
 * The archive file support-bundle writes: a new file or nothing. An entry already at that path
 * (a file, a directory, a FIFO, a symbolic link, even a dangling one) is refused before
 * anything is collected, and again at the end by a hard link that fails on any entry that
 * appeared meanwhile, so nothing is ever replaced and nothing is written through a link.
 */
import { link, lstat, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError, ShoppeError } from "../../errors.js";

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

function exists(shown: string, what = ""): InputError {
  return new InputError(`failed to write ${shown}: it exists${what}; name another file with -o`);
}

/** Refuses (InputError) an output path where anything exists, or whose directory does not. */
export async function checkNewFile(out: string, shown: string): Promise<void> {
  const found = await lstat(out).catch((err: unknown) => {
    if (errno(err) === "ENOENT") return undefined;
    throw new InputError(`failed to write ${shown}: ${errno(err) ?? String(err)}`);
  });
  if (found) throw exists(shown, found.isSymbolicLink() ? " (a symbolic link)" : "");
  const dir = await stat(path.dirname(out)).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new InputError(
      `failed to write ${shown}: its directory ${path.dirname(shown)} does not exist; create it or name another file with -o`,
    );
  }
}

/** Writes `data` as the new file `out`, whole or not at all, never over an existing entry. */
export async function writeNewFile(out: string, shown: string, data: Buffer): Promise<void> {
  const tmp = `${out}.${process.pid}.partial`;
  let wrote = false;
  try {
    // "wx": an entry at the scratch name is refused, neither followed nor removed.
    await writeFile(tmp, data, { mode: 0o600, flag: "wx" });
    wrote = true;
    await link(tmp, out);
  } catch (err) {
    if (errno(err) === "EEXIST") {
      const at = await lstat(out).catch(() => undefined);
      if (at) throw exists(shown);
    }
    throw new ShoppeError(
      `failed to write ${shown}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    if (wrote) await rm(tmp, { force: true });
  }
}
