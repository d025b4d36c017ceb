/**
 * Where `release notes` writes and what it reads: `--notes-file`/`--announcement-file` create a
 * new file only (an existing file, a symlink or a FIFO is refused and left as it was; a
 * missing directory is one clear line, exit 2); a `--templates` file that is a FIFO is
 * refused at once instead of waited on, and a `--templates` directory that is not there is an
 * error, not the package's templates in silence.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { releaseNotes } from "../../src/actions/release.js";
import { InputError, UsageError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools, toolPath } from "../helpers/tools.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";

describeWithTools("release notes: its output files and templates", ["helm", "git"], () => {
  let project: ReleaseProject;
  beforeAll(async () => {
    project = await createReleaseProject();
  }, 60_000);
  afterAll(async () => project?.close());

  const notes = (o: Parameters<typeof releaseNotes>[1]) =>
    releaseNotes(project.context(), { offline: true, ...o });

  it("writes a new file, and refuses to replace an existing one", async () => {
    const r = await notes({ notesFile: "notes.md", announcementFile: "announcement.md" });
    expect(r.written).toEqual(["notes.md", "announcement.md"]);
    expect(await readFile(path.join(project.root, "notes.md"), "utf8")).toBe(r.notes);
    const stack = await readFile(path.join(project.root, "stack.yaml"), "utf8");
    const err = await notes({ notesFile: "stack.yaml" }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(
      "failed to write stack.yaml (--notes-file): it exists (a regular file); name a new file, or print to stdout and redirect",
    );
    expect(await readFile(path.join(project.root, "stack.yaml"), "utf8")).toBe(stack);
  });

  it("does not write through a symlink", async () => {
    const outside = path.join(path.dirname(project.root), "outside.txt");
    await writeFile(outside, "keep me\n");
    await symlink(outside, path.join(project.root, "link.md"));
    const err = await notes({ announcementFile: "link.md" }).catch((e) => e);
    expect(err.message).toBe(
      "failed to write link.md (--announcement-file): it exists (a symbolic link); name a new file, or print to stdout and redirect",
    );
    expect(await readFile(outside, "utf8")).toBe("keep me\n");
  });

  it("refuses a FIFO without waiting for a reader", async () => {
    execFileSync("mkfifo", [path.join(project.root, "pipe.md")]);
    const err = await notes({ notesFile: "pipe.md" }).catch((e) => e);
    expect(err.message).toContain("it exists (a named pipe (FIFO))");
  }, 10_000);

  it("says a missing directory in one line, exit 2", async () => {
    const r = await runCli(
      ["release", "notes", "--offline", "--notes-file", "no/such/notes.md"],
      project.root,
      { PATH: toolPath() },
    );
    expect(r.code).toBe(2);
    expect(
      r.stderr.split("\n").filter((l) => l.startsWith("error:") || l.includes("internal")),
    ).toEqual([
      "error: failed to write no/such/notes.md (--notes-file): its directory does not exist; create it first",
    ]);
  });

  it("refuses a template that is a FIFO at once", async () => {
    const dir = path.join(project.root, "my-templates");
    await mkdir(dir);
    execFileSync("mkfifo", [path.join(dir, "release-notes.md.hbs")]);
    const err = await notes({ templates: "my-templates" }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^failed to read .*release-notes\.md\.hbs: .*named pipe/);
  }, 10_000);

  it("refuses a --templates directory that is not there, rather than render the defaults", async () => {
    const err = await notes({ templates: "my-templatse" }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(
      "failed to read --templates my-templatse: not a directory; name the directory holding your templates",
    );
  });
});
