/**
 * A temporary project of the e2e fixture stack (test/fixtures/e2e-stack: a web Deployment and a
 * store StatefulSet with a volume and a Job), rendered with `shoppe render`, optionally a git
 * repository with it committed (for --upgrade-from).
 */
import { execFileSync } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { render } from "../../src/actions/render.js";
import { type Context, createContext } from "../../src/context.js";
import { ROOT, toolPath } from "../helpers/tools.js";
import { tempDir } from "../support/temp.js";

/** The fixture stack's source. */
export const E2E_STACK = path.join(ROOT, "test/fixtures/e2e-stack");

/** A rendered fixture project. */
export interface FixtureProject {
  root: string;
  ctx: Context;
  /** Environment for the CLI: the pinned tools first on PATH. */
  env: NodeJS.ProcessEnv;
  /** Replaces text in stack.yaml and renders again. */
  edit(from: string, to: string): Promise<void>;
  /** Commits everything; returns the commit. */
  commit(message: string): string;
  close(): Promise<void>;
}

function git(root: string, args: string[]): string {
  return execFileSync(
    "git",
    ["-C", root, "-c", "user.name=test", "-c", "user.email=test@example.org", ...args],
    {
      encoding: "utf8",
    },
  ).trim();
}

/** Copies and renders the fixture stack; `repo` makes it a git repository first. */
export async function fixtureProject(o: { repo?: boolean } = {}): Promise<FixtureProject> {
  const dir = await tempDir("e2e-project");
  const root = dir.path;
  await cp(E2E_STACK, root, { recursive: true });
  const env = { ...process.env, PATH: toolPath(), NO_COLOR: "1" };
  const ctx = createContext({ root, env });
  await render(ctx, {});
  if (o.repo) git(root, ["init", "-q"]);
  return {
    root,
    ctx,
    env,
    async edit(from, to) {
      const file = path.join(root, "stack.yaml");
      const text = await readFile(file, "utf8");
      if (!text.includes(from)) throw new Error(`stack.yaml has no "${from}"`);
      await writeFile(file, text.replaceAll(from, to));
      await render(ctx, {});
    },
    commit(message) {
      git(root, ["add", "-A"]);
      git(root, ["commit", "-q", "-m", message]);
      return git(root, ["rev-parse", "HEAD"]);
    },
    close: () => dir.remove(),
  };
}
