/**
 * The world a fuzz case runs in: a sandbox directory holding `project/` (the real stack.yaml,
 * charts/xcache, charts/triton and the umbrella rendered from them, as a git repository with
 * one commit), `outside/` (a directory beside the project with a file in it) and `alias`
 * (a symbolic link to the project). A template is built once per test file and copied per
 * case; snapshots of the whole sandbox tell what a command changed.
 */
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdir, realpath, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { render } from "../../src/actions/render.js";
import { createContext } from "../../src/context.js";
import { ROOT } from "../helpers/tools.js";
import { tempDir } from "../support/temp.js";
import { snapshotTree } from "../support/tree.js";

const exec = promisify(execFile);

/** A sandbox: its directory, the project in it, and the directory beside the project. */
export interface Sandbox {
  dir: string;
  project: string;
  outside: string;
}

/** Where the template's rendered umbrella is, relative to the project. */
export const RENDERED = "charts/coffea-shoppe";

/** The template sandbox of this test file, and its removal. */
export async function createTemplate(): Promise<Sandbox & { remove(): Promise<void> }> {
  const tmp = await tempDir("fuzz");
  const dir = await realpath(tmp.path);
  const project = path.join(dir, "project");
  for (const rel of ["charts/xcache", "charts/triton", "stack.yaml"]) {
    await cp(path.join(ROOT, rel), path.join(project, rel), { recursive: true });
  }
  await render(createContext({ root: project, env: {} }), { output: RENDERED });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=f", "-c", "user.email=f@example.org", ...args], {
      cwd: project,
      stdio: "ignore",
    });
  // No template: no hook samples to copy per case.
  git("init", "-q", "--template=");
  git("add", ".");
  git("commit", "-q", "-m", "fuzz project");
  // One pack instead of an object per file: fewer entries to copy and snapshot per case.
  git("gc", "-q");
  const outside = path.join(dir, "outside");
  await mkdir(path.join(outside, "kept"), { recursive: true });
  await writeFile(path.join(outside, "kept/data.txt"), "not shoppe's\n");
  await symlink("project", path.join(dir, "alias"));
  return { dir, project, outside, remove: tmp.remove };
}

/** A fresh copy of `template` for one case, removed by the caller. */
export async function copySandbox(
  template: Sandbox,
): Promise<Sandbox & { remove(): Promise<void> }> {
  const tmp = await tempDir("fuzz-case");
  const dir = await realpath(tmp.path);
  // cp -a: several times faster than fs.cp for a tree of small files, links kept as they are.
  await exec("cp", ["-a", `${template.dir}/.`, dir]);
  return {
    dir,
    project: path.join(dir, "project"),
    outside: path.join(dir, "outside"),
    remove: tmp.remove,
  };
}

/** Every entry of the sandbox (see test/support/tree.ts), keyed relative to it. */
export function snapshot(sandbox: Sandbox): Promise<Record<string, string>> {
  return snapshotTree(sandbox.dir);
}

/** Keys whose entry was added, removed or changed between two snapshots. */
export function changedKeys(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/** True when snapshot key `key` is the directory `dirKey` or lies below it. */
export function isUnder(key: string, dirKey: string): boolean {
  return key === `${dirKey}/` || key.startsWith(`${dirKey}/`);
}

/**
 * `dir` as a snapshot key: its parent with every symbolic link resolved (a command writes
 * through them), then its own name unresolved (a command replaces that entry).
 */
export async function sandboxKey(sandbox: Sandbox, dir: string): Promise<string> {
  const rest: string[] = [];
  let p = path.dirname(path.resolve(dir));
  for (;;) {
    try {
      const real = await realpath(p);
      return path.relative(sandbox.dir, path.join(real, ...rest, path.basename(dir)));
    } catch {
      rest.unshift(path.basename(p));
      p = path.dirname(p);
    }
  }
}
