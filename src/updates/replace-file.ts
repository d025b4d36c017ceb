/**
 * Replaces a file the update commands own (stack.lock, an edited stack.yaml) the safe way: the
 * new text is written beside it, optionally checked, then renamed over it, so a reader never
 * sees half a file and a failed check leaves the old one. A write that fails is one sentence
 * naming the file and the errno, never a stack trace.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ShoppeError } from "../errors.js";

/** Writes `text` to `file` (shown as `shown`) unless it holds it; true when it wrote. */
export async function replaceFile(
  file: string,
  shown: string,
  text: string,
  check?: (aside: string) => Promise<void>,
): Promise<boolean> {
  if ((await readFile(file, "utf8").catch(() => undefined)) === text) return false;
  const aside = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(aside, text).catch((err) => {
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
  return new ShoppeError(
    `failed to write ${shown}: ${code}; check that its directory is writable and has space`,
    { cause: err },
  );
}
