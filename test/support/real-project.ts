/**
 * The one temporary project the chart tests work in: the real stack.yaml and the real
 * first-party charts (charts/xcache, charts/triton), rendered with `shoppe render`. Its chart
 * repository URLs can be pointed elsewhere (the loopback servers of test/support/servers.ts, or
 * loopback copies of the upstream repositories) and a copy of the stack edited and rendered
 * again for a variation (a disabled component, another profile, a bad value).
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { render } from "../../src/actions/render.js";
import { type Context, createContext } from "../../src/context.js";
import { sameRepositoryUrl } from "../../src/helm/repositories.js";
import type { Logger } from "../../src/log.js";
import { ROOT, toolPath } from "../helpers/tools.js";
import { tempDir } from "./temp.js";
import { snapshotTree } from "./tree.js";

/** The stack manifest as data; tests edit a copy before rendering it. */
// biome-ignore lint/suspicious/noExplicitAny: a YAML document under construction.
export type StackDoc = any;

/** A rendered project of the real stack. */
export interface RealProject {
  root: string;
  ctx: Context;
  /** The umbrella chart directory. */
  chartDir: string;
  /** The stack as rendered (edit a copy, then writeAndRender). */
  stack: StackDoc;
  writeAndRender(stack: StackDoc): Promise<void>;
  /** Every entry under the chart directory (test/support/tree.ts), for "nothing changed". */
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
    snapshot: () => snapshotTree(chartDir),
    close: () => dir.remove(),
  };
  await project.writeAndRender(project.stack);
  return project;
}
