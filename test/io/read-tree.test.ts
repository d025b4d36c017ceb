/**
 * Reading back a directory the project wrote: regular files and links to them inside are read;
 * FIFOs, sockets, devices, links that leave the directory and too many files are refused by name.
 */
import { execFileSync } from "node:child_process";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputFileError } from "../../src/errors.js";
import { readInputTree } from "../../src/io/read-tree.js";
import { type TempDir, tempDir } from "../support/temp.js";

let tmp: TempDir;
let dir: string;
beforeEach(async () => {
  tmp = await tempDir("read-tree");
  dir = path.join(tmp.path, "chart");
  await mkdir(path.join(dir, "templates"), { recursive: true });
  await writeFile(path.join(dir, "Chart.yaml"), "name: demo\n");
  await writeFile(path.join(dir, "templates/a.yaml"), "kind: A\n");
});
afterEach(() => tmp.remove());

async function refusal(promise: Promise<unknown>): Promise<InputFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputFileError);
  return err as InputFileError;
}

const text = (files: Map<string, Buffer> | undefined) =>
  Object.fromEntries([...(files ?? [])].map(([k, v]) => [k, v.toString()]));

describe("readInputTree", () => {
  it("reads every file by relative path, sorted, skipping the top-level entries named", async () => {
    await mkdir(path.join(dir, "charts"));
    await writeFile(path.join(dir, "charts/dep.tgz"), "not read");
    await writeFile(path.join(dir, "templates/NOTES.txt"), "notes\n");
    const files = await readInputTree(dir, { skip: ["charts"] });
    expect([...(files?.keys() ?? [])]).toEqual([
      "Chart.yaml",
      "templates/NOTES.txt",
      "templates/a.yaml",
    ]);
    expect(text(files)["templates/a.yaml"]).toBe("kind: A\n");
  });

  it("is undefined for a missing directory and refuses a file in its place", async () => {
    expect(await readInputTree(path.join(tmp.path, "missing"))).toBeUndefined();
    const err = await refusal(readInputTree(path.join(dir, "Chart.yaml"), { shown: "c" }));
    expect(err.message).toBe(
      "failed to read c: it is a regular file, not a directory; name a directory",
    );
  });

  it("reads a link to a file inside the directory as that file", async () => {
    await symlink("../Chart.yaml", path.join(dir, "templates/link.yaml"));
    expect(text(await readInputTree(dir))["templates/link.yaml"]).toBe("name: demo\n");
  });

  it("refuses a FIFO inside, naming it, without opening it", async () => {
    execFileSync("mkfifo", [path.join(dir, "templates/pipe.yaml")]);
    const err = await refusal(readInputTree(dir, { shown: "charts/demo" }));
    expect(err.message).toBe(
      "failed to read charts/demo/templates/pipe.yaml: it is a named pipe (FIFO); charts/demo may hold only files and directories, remove it",
    );
  });

  it("refuses a socket inside", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, "sock"), resolve));
    try {
      expect((await refusal(readInputTree(dir, { shown: "d" }))).message).toMatch(
        /^failed to read d\/sock: it is a socket; /,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses links that leave the directory, point at a device or dangle", async () => {
    const outside = path.join(tmp.path, "secret.txt");
    await writeFile(outside, "secret\n");
    await symlink(outside, path.join(dir, "values.yaml"));
    expect((await refusal(readInputTree(dir, { shown: "d" }))).message).toBe(
      `failed to read d/values.yaml: it is a symbolic link to ${outside}, outside d; remove the link`,
    );
    await rm(path.join(dir, "values.yaml"));
    await symlink("/dev/zero", path.join(dir, "zero"));
    expect((await refusal(readInputTree(dir, { shown: "d" }))).reason).toBe(
      "it is a symbolic link to /dev/zero, outside d; remove the link",
    );
    const lone = path.join(tmp.path, "lone");
    await mkdir(lone);
    await symlink("nowhere", path.join(lone, "dangling"));
    expect((await refusal(readInputTree(lone, { shown: "lone" }))).reason).toMatch(
      /^it is a symbolic link to nowhere, which does not exist/,
    );
  });

  it("refuses more files than a directory shoppe writes holds", async () => {
    const err = await refusal(readInputTree(dir, { shown: "d", maxFiles: 1 }));
    expect(err.message).toBe(
      "failed to read d: it holds more than 1 files; this is not a directory shoppe wrote",
    );
  });
});
