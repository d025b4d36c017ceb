/**
 * The project the update tests work in: the real stack.yaml and first-party charts, its chart
 * repositories pointed at the loopback servers, with older pins so there is something to find,
 * and a disabled z2jh component to show how pre-releases count.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { render } from "../../src/actions/render.js";
import { ROOT } from "../helpers/tools.js";
import { createRealProject, type RealProject, realStack, type StackDoc } from "./real-project.js";

/** Upstream URLs of the repositories the tests serve. */
export const UPSTREAM = {
  casa: "https://coffeateam.github.io/coffea-casa",
  ssl: "https://ssl-hep.github.io/ssl-helm-charts/",
  community: "https://community-charts.github.io/helm-charts",
  jupyterhub: "https://jupyterhub.github.io/helm-chart/",
};

/** A z2jh component, disabled, tracking majors with pre-releases. */
export function jupyterhubComponent(repository: string, version = "3.3.7"): StackDoc {
  return {
    displayName: "JupyterHub",
    description: "Zero to JupyterHub, tracked for its dev builds",
    enabled: false,
    chart: { repository, name: "jupyterhub", version },
    appVersion: "4.1.5",
    source: { github: "jupyterhub/zero-to-jupyterhub-k8s" },
    updates: { track: "major", prereleases: true },
  };
}

/**
 * The real stack with `urls` replacing its repositories and `edit` applied, rendered in a
 * temporary project.
 */
export async function updateProject(
  urls: ReadonlyMap<string, string>,
  edit: (stack: StackDoc) => void,
): Promise<RealProject> {
  const stack = await realStack(urls);
  edit(stack);
  return createRealProject(stack);
}

/**
 * The real stack.yaml as written (every comment kept), its repository URLs replaced by `urls`
 * and then each `[from, to]` text replacement applied everywhere.
 */
export async function realStackText(
  urls: ReadonlyMap<string, string>,
  replacements: [string, string][],
): Promise<string> {
  let text = await readFile(path.join(ROOT, "stack.yaml"), "utf8");
  for (const [from, to] of [...urls, ...replacements]) text = text.replaceAll(from, to);
  return text;
}

/** A rendered project whose stack.yaml is exactly `text`. */
export async function projectFromText(text: string): Promise<RealProject> {
  const project = await createRealProject(parse(text));
  await writeFile(path.join(project.root, "stack.yaml"), text);
  await render(project.ctx, {});
  return project;
}

/** The real stack with ServiceX at 1.5.2, MLflow at 1.11.2 and Coffea-Casa at 2026.929.2. */
export const OLDER: [string, string][] = [
  ["      version: 1.5.3", "      version: 1.5.2"],
  ["    appVersion: 1.5.3", "    appVersion: 1.5.2"],
  ["tag: v1.5.3", "tag: v1.5.2"],
  ["      version: 1.11.5", "      version: 1.11.2"],
  ["    appVersion: 3.15.1", "    appVersion: 3.14.0"],
  ["        tag: 3.15.1", "        tag: 3.14.0"],
  ["      version: 2026.1008.3", "      version: 2026.929.2"],
  ["2026.10.08.3", "2026.09.29.2"],
];
