/**
 * Hostile files through the real CLI: a FIFO, a device, a socket, a symlink loop, /proc files
 * and unreadable files as stack.yaml, as a first-party Chart.yaml and inside the chart directory
 * render reads back all end promptly in exit 2 with a message naming the file, never a hang,
 * a crash or `internal error:`.
 */
import { execFileSync } from "node:child_process";
import { chmod, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CliRun, runCli } from "../helpers/cli.js";
import { fixtureProject } from "../render/helpers.js";

/** Root reads files whatever their mode: the permission case only runs as another user. */
const IS_ROOT = process.getuid?.() === 0;
/** Far longer than any of these takes; a read that blocks never returns. */
const PROMPTLY_MS = 15_000;

/** Runs the CLI; fails if it has not finished within PROMPTLY_MS. */
async function shoppe(argv: string[], cwd: string): Promise<CliRun> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`shoppe ${argv.join(" ")} still runs`)), PROMPTLY_MS);
  });
  try {
    return await Promise.race([runCli(argv, cwd), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exit 2, the message expected, no stack trace, no internal error. */
function expectRefused(res: CliRun, message: string | RegExp): void {
  expect(res.stderr).not.toContain("internal error");
  expect(res.stderr).not.toMatch(/\n\s+at /);
  expect(res.stderr).toMatch(message);
  expect(res.code).toBe(2);
}

/** A fixture project whose `rel` is replaced by what `make` creates there. */
async function projectWith(rel: string, make: (file: string) => Promise<void>): Promise<string> {
  const root = await fixtureProject();
  await rm(path.join(root, rel), { force: true });
  await make(path.join(root, rel));
  return root;
}

const fifo = async (file: string) => {
  execFileSync("mkfifo", [file]);
};
const linkTo = (target: string) => (file: string) => symlink(target, file);

describe("stack.yaml that is not a regular file", () => {
  it("a FIFO: validate and render refuse it at once", async () => {
    const root = await projectWith("stack.yaml", fifo);
    for (const cmd of [["validate"], ["render"], ["render", "--check"]]) {
      expectRefused(
        await shoppe(cmd, root),
        "failed to read stack.yaml: it is a named pipe (FIFO), not a regular file",
      );
    }
  });

  it("a symbolic link to /dev/zero (once a crash: the size limit was checked with stat)", async () => {
    const root = await projectWith("stack.yaml", linkTo("/dev/zero"));
    expectRefused(
      await shoppe(["validate"], root),
      "failed to read stack.yaml: it resolves to /dev/zero, a character device, not a regular file",
    );
  });

  it("a symbolic link loop", async () => {
    const root = await projectWith("stack.yaml", linkTo("stack.yaml"));
    expectRefused(
      await shoppe(["validate"], root),
      "failed to read stack.yaml: too many levels of symbolic links (a symlink loop?)",
    );
  });

  it("a socket", async () => {
    const root = await fixtureProject();
    await rm(path.join(root, "stack.yaml"));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, "stack.yaml"), resolve));
    try {
      expectRefused(
        await shoppe(["validate"], root),
        "failed to read stack.yaml: it is a socket, not a regular file",
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("/proc files: one that reads as text is checked as a manifest, one that fails to read is named", async () => {
    const root = await fixtureProject();
    expectRefused(
      await shoppe(["validate", "/proc/self/status"], root),
      /\/proc\/self\/status:1:1: apiVersion: is required/,
    );
    expectRefused(
      await shoppe(["validate", "/proc/self/mem"], root),
      "failed to read /proc/self/mem: an input/output error",
    );
  });

  it.skipIf(IS_ROOT)("a file without read permission", async () => {
    const root = await fixtureProject();
    await chmod(path.join(root, "stack.yaml"), 0o000);
    expectRefused(await shoppe(["validate"], root), "failed to read stack.yaml: permission denied");
  });
});

describe("a first-party Chart.yaml that is not a regular file", () => {
  it("a FIFO is named at the chart's path in stack.yaml", async () => {
    const root = await projectWith("charts/hub/Chart.yaml", fifo);
    expectRefused(
      await shoppe(["validate"], root),
      /stack\.yaml:\d+:\d+: components\.hub\.chart\.path: cannot read charts\/hub\/Chart\.yaml: it is a named pipe \(FIFO\)/,
    );
  });

  it("a symbolic link to /dev/zero", async () => {
    const root = await projectWith("charts/hub/Chart.yaml", linkTo("/dev/zero"));
    expectRefused(
      await shoppe(["validate"], root),
      /components\.hub\.chart\.path: cannot read charts\/hub\/Chart\.yaml: it resolves to \/dev\/zero/,
    );
  });

  it("a document nested past the limit is named with its own position", async () => {
    const root = await fixtureProject();
    const deep = Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n");
    await writeFile(path.join(root, "charts/hub/Chart.yaml"), `${deep} 1\n`);
    expectRefused(
      await shoppe(["validate"], root),
      /components\.hub\.chart\.path: failed to parse charts\/hub\/Chart\.yaml: the document is too large or too deep: charts\/hub\/Chart\.yaml:65:129: mappings and lists nest deeper than 64 levels/,
    );
  });
});

describe("the rendered chart directory, read back by render", () => {
  it("a FIFO in place of a rendered file is named, by render and by render --check", async () => {
    const root = await fixtureProject();
    expect((await shoppe(["render"], root)).code).toBe(0);
    const notes = path.join(root, "charts/demo-shoppe/templates/NOTES.txt");
    await rm(notes);
    await fifo(notes);
    // A write may refuse it earlier, as a file render did not write (src/fsx/owned-dir.ts).
    expectRefused(await shoppe(["render"], root), /templates\/NOTES\.txt/);
    expectRefused(
      await shoppe(["render", "--check"], root),
      "failed to read charts/demo-shoppe/templates/NOTES.txt: it is a named pipe (FIFO)",
    );
  });

  it("a link to a file outside the chart in place of a rendered file", async () => {
    const root = await fixtureProject();
    expect((await shoppe(["render"], root)).code).toBe(0);
    const values = path.join(root, "charts/demo-shoppe/values.yaml");
    await rm(values);
    await symlink("/etc/hostname", values);
    expectRefused(
      await shoppe(["render", "--check"], root),
      "failed to read charts/demo-shoppe/values.yaml: it is a symbolic link to /etc/hostname, outside charts/demo-shoppe",
    );
  });
});
