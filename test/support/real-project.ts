/**
 * A temporary project holding the real stack.yaml and the real first-party charts
 * (charts/xcache, charts/triton), rendered with `shoppe render`: the umbrella the tests on
 * the real upstream charts build. Its chart repository URLs can be pointed elsewhere (loopback
 * stand-ins for the upstream repositories) and the stack edited before rendering.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { render } from "../../src/actions/render.js";
import { type Context, createContext } from "../../src/context.js";
import { sameRepositoryUrl } from "../../src/helm/repositories.js";
import type { Logger } from "../../src/log.js";
import { ROOT } from "../helpers/tools.js";
import { hashTree, type StackDoc, toolPath } from "./facility.js";
import { tempDir } from "./temp.js";

/** A rendered project of the real stack. */
export interface RealProject {
  root: string;
  ctx: Context;
  /** The umbrella chart directory. */
  chartDir: string;
  /** The stack as rendered (edit a copy, then writeAndRender). */
  stack: StackDoc;
  writeAndRender(stack: StackDoc): Promise<void>;
  /** sha256 of every file under the chart directory. */
  snapshot(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The real stack.yaml with every chart repository found in `urls` replaced by its value. */
export async function realStack(urls: ReadonlyMap<string, string> = new Map()): Promise<StackDoc> {
  const stack = parse(await readFile(path.join(ROOT, "stack.yaml"), "utf8"));
  for (const c of Object.values(stack.components) as { chart?: { repository?: string } }[]) {
    const from = c.chart?.repository;
    const to = from && [...urls].find(([u]) => sameRepositoryUrl(u, from))?.[1];
    if (c.chart && to) c.chart.repository = to;
  }
  return stack;
}

/** Creates and renders a project of `stack` (default: the real stack.yaml as it is). */
export async function createRealProject(stack?: StackDoc, logger?: Logger): Promise<RealProject> {
  const dir = await tempDir("real-project");
  const root = dir.path;
  for (const c of ["xcache", "triton"]) {
    await cp(path.join(ROOT, "charts", c), path.join(root, "charts", c), { recursive: true });
  }
  const ctx = createContext({
    root,
    env: { ...process.env, PATH: toolPath() },
    ...(logger ? { logger } : {}),
  });
  const release = (stack ?? (await realStack())).release.name as string;
  const chartDir = path.join(root, "charts", release);
  const project: RealProject = {
    root,
    ctx,
    chartDir,
    stack: stack ?? (await realStack()),
    async writeAndRender(doc) {
      await writeFile(path.join(root, "stack.yaml"), stringify(doc));
      await render(ctx, {});
      project.stack = doc;
    },
    snapshot: () => hashTree(chartDir),
    close: () => dir.remove(),
  };
  await project.writeAndRender(project.stack);
  return project;
}
