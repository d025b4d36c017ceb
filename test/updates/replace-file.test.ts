/**
 * replaceFile, the one writer of stack.lock and a bumped stack.yaml: it keeps the file's
 * permissions and names a missing directory as bad input. (Symlinks, FIFOs and directories in
 * its place: test/updates/lock-file.test.ts and bump.test.ts, through the commands.)
 */
import { chmod, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { replaceFile } from "../../src/updates/replace-file.js";
import { tempDir } from "../support/temp.js";

it("keeps the permissions of the file it replaces", async () => {
  const dir = await tempDir("replace");
  try {
    const file = path.join(dir.path, "stack.yaml");
    await writeFile(file, "old\n");
    await chmod(file, 0o600);
    expect(await replaceFile(file, "stack.yaml", "new\n")).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const fresh = path.join(dir.path, "stack.lock");
    expect(await replaceFile(fresh, "stack.lock", "lock\n")).toBe(true);
    expect((await stat(fresh)).mode & 0o777).toBe(0o666 & ~process.umask());
  } finally {
    await dir.remove();
  }
});

it("names a missing directory as bad input (exit 2), not a failed write", async () => {
  const dir = await tempDir("replace");
  try {
    const err = await replaceFile(
      path.join(dir.path, "no", "stack.lock"),
      "no/stack.lock",
      "x",
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      "failed to write no/stack.lock: its directory does not exist; create it or name another path",
    );
  } finally {
    await dir.remove();
  }
});
