/** Temporary directories that tests create and always remove. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A temp directory and its removal. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates a fresh directory under the OS temp dir, named after `prefix`. */
export async function tempDir(prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `shoppe-${prefix}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
