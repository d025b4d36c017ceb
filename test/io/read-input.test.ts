/**
 * The one input reader: only regular files, never blocking, the size limit on the bytes read,
 * every file-system failure an InputFileError that names the path and says what to do.
 */
import { execFileSync, spawn } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputFileError } from "../../src/errors.js";
import { fsFailure } from "../../src/io/fs-failure.js";
import { readInputFile, readInputText } from "../../src/io/read-input.js";
import { type TempDir, tempDir } from "../support/temp.js";

/** Root reads files whatever their mode, so permission tests only run as another user. */
const IS_ROOT = process.getuid?.() === 0;

let tmp: TempDir;
beforeEach(async () => {
  tmp = await tempDir("read-input");
});
afterEach(() => tmp.remove());

const at = (name: string) => path.join(tmp.path, name);

/** The InputFileError `promise` rejects with (fails the test if it resolves or throws another). */
async function refusal(promise: Promise<unknown>): Promise<InputFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputFileError);
  return err as InputFileError;
}

describe("readInputFile reads regular files", () => {
  it("returns the bytes of a file, and of a file behind a symbolic link", async () => {
    await writeFile(at("a.yaml"), "a: 1\n");
    await symlink(at("a.yaml"), at("link.yaml"));
    expect((await readInputFile(at("a.yaml"))).toString()).toBe("a: 1\n");
    expect((await readInputFile(at("link.yaml"))).toString()).toBe("a: 1\n");
  });

  it("enforces the size limit at exactly maxBytes", async () => {
    await writeFile(at("ten"), "0123456789");
    expect((await readInputFile(at("ten"), { maxBytes: 10 })).length).toBe(10);
    const err = await refusal(readInputFile(at("ten"), { shown: "ten", maxBytes: 9 }));
    expect(err.message).toBe(
      "failed to read ten: 10 bytes is larger than the 9-byte limit; is this the right file?",
    );
  });

  it("decodes text as UTF-8 and drops a byte order mark", async () => {
    await writeFile(at("bom.yaml"), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0xc3, 0xa9]));
    expect(await readInputText(at("bom.yaml"))).toBe("a: é");
  });
});

describe("readInputFile refuses what is not a regular file, without blocking", () => {
  it("refuses a FIFO with no writer", async () => {
    execFileSync("mkfifo", [at("fifo")]);
    const err = await refusal(readInputFile(at("fifo"), { shown: "fifo" }));
    expect(err.reason).toMatch(/^it is a named pipe \(FIFO\), not a regular file; /);
  });

  it("refuses a FIFO that has a writer (it would otherwise be read until the writer closes)", async () => {
    execFileSync("mkfifo", [at("fifo")]);
    // O_RDWR on a FIFO opens at once on Linux and counts as a writer that never closes.
    const writer = openSync(at("fifo"), constants.O_RDWR);
    try {
      const err = await refusal(readInputFile(at("fifo"), { shown: "fifo" }));
      expect(err.message).toContain("failed to read fifo: it is a named pipe (FIFO)");
    } finally {
      closeSync(writer);
    }
  });

  it("refuses a /proc link to an object without a path (/dev/stdin, when input is piped)", async () => {
    // Node gives the child a socket pair as its "pipe"; a shell pipe gives a FIFO: both have no path.
    const child = spawn("sleep", ["60"], { stdio: ["pipe", "ignore", "ignore"] });
    try {
      const err = await refusal(readInputFile(`/proc/${child.pid}/fd/0`, { shown: "stdin" }));
      expect(err.reason).toMatch(/^it resolves to a socket without a path, not a regular file/);
    } finally {
      child.kill();
    }
  });

  it("refuses a symbolic link to /dev/zero, naming where it leads", async () => {
    await symlink("/dev/zero", at("zero.yaml"));
    const err = await refusal(readInputFile(at("zero.yaml"), { shown: "zero.yaml" }));
    expect(err.reason).toMatch(
      /^it resolves to \/dev\/zero, a character device, not a regular file/,
    );
  });

  it("refuses a socket", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(at("sock"), resolve));
    try {
      const err = await refusal(readInputFile(at("sock"), { shown: "sock" }));
      expect(err.reason).toMatch(/^it is a socket, not a regular file/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a directory, directly and behind a link", async () => {
    await mkdir(at("dir"));
    await symlink(at("dir"), at("dirlink"));
    expect((await refusal(readInputFile(at("dir"), { shown: "dir" }))).message).toBe(
      "failed to read dir: it is a directory, not a file; name a file",
    );
    expect((await refusal(readInputFile(at("dirlink")))).reason).toMatch(
      /a directory, not a regular file/,
    );
  });

  it("names a symbolic link loop and a dangling link", async () => {
    await symlink(at("loop-b"), at("loop-a"));
    await symlink(at("loop-a"), at("loop-b"));
    await symlink(at("nowhere"), at("dangling"));
    expect((await refusal(readInputFile(at("loop-a")))).reason).toBe(
      "too many levels of symbolic links (a symlink loop?); fix the link",
    );
    const dangling = await refusal(readInputFile(at("dangling")));
    expect(dangling.missing).toBe(true);
    expect(dangling.reason).toBe(
      `it is a symbolic link to ${at("nowhere")}, which does not exist; fix the link`,
    );
  });
});

describe("readInputFile names every file-system failure", () => {
  it("a missing file, a file used as a directory, a path that is too long", async () => {
    await writeFile(at("file"), "x");
    const missing = await refusal(readInputFile(at("missing"), { shown: "missing" }));
    expect(missing).toMatchObject({
      missing: true,
      message: "failed to read missing: no such file; check the path",
    });
    expect((await refusal(readInputFile(at("file/x")))).reason).toBe(
      "a part of the path is not a directory; check the path",
    );
    expect((await refusal(readInputFile(at("x".repeat(300))))).reason).toBe(
      "the path is too long; use a shorter path",
    );
  });

  it.skipIf(IS_ROOT)("a file without read permission", async () => {
    await writeFile(at("secret"), "x");
    await chmod(at("secret"), 0o000);
    expect((await refusal(readInputFile(at("secret")))).reason).toMatch(/^permission denied; /);
  });

  it.runIf(IS_ROOT)(
    "as root, mode 000 does not deny reading (the EACCES path runs only as a user)",
    async () => {
      await writeFile(at("secret"), "x");
      await chmod(at("secret"), 0o000);
      expect((await readInputFile(at("secret"))).toString()).toBe("x");
    },
  );

  it("maps the errors a test cannot provoke to what to do", () => {
    const reason = (code: string) =>
      fsFailure(Object.assign(new Error(code), { code }), "f").reason;
    expect(reason("EACCES")).toMatch(/^permission denied; make it readable/);
    expect(reason("EMFILE")).toMatch(/^too many open files in this process; raise the limit/);
    expect(reason("ENFILE")).toMatch(/^too many open files on this system/);
    expect(reason("EWOULDBLOCK")).toMatch(/^reading it would block/);
    expect(reason("ESOMETHING")).toBe("ESOMETHING: ESOMETHING");
  });
});

describe("readInputFile on /proc, whose files claim a size of 0", () => {
  it("reads /proc/self/status in full and enforces the limit on the bytes actually read", async () => {
    const text = (await readInputFile("/proc/self/status")).toString();
    expect(text).toMatch(/^Name:\t/);
    const err = await refusal(
      readInputFile("/proc/self/status", { shown: "status", maxBytes: 16 }),
    );
    expect(err.message).toBe(
      "failed to read status: it has more than the 16-byte limit; is this the right file?",
    );
  });

  it("turns the I/O error of /proc/self/mem into an InputFileError", async () => {
    expect((await refusal(readInputFile("/proc/self/mem"))).reason).toMatch(
      /^an input\/output error/,
    );
  });
});
