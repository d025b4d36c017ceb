/** Shared setup of the render tests: temp copies of the fixture project, manifests, contexts. */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";
import { type Context, createContext } from "../../src/context.js";
import { type LoadedStack, loadStack } from "../../src/manifest/load.js";
import { ROOT } from "../helpers/tools.js";

/** The render fixture project: stack.yaml and three tiny first-party charts. */
export const FIXTURE = path.join(ROOT, "test/fixtures/render");

/** How long a temporary directory lives: one test, or the whole file (for beforeAll). */
export type Lifetime = "test" | "file";

const created: Record<Lifetime, string[]> = { test: [], file: [] };
async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}
afterEach(() => removeAll(created.test));
afterAll(() => removeAll(created.file));

/** An empty temporary directory, removed after the test (or the file). */
export async function tempDir(lifetime: Lifetime = "test"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "shoppe-render-"));
  created[lifetime].push(dir);
  return dir;
}

/** A temporary copy of the fixture project; returns its root. */
export async function fixtureProject(lifetime: Lifetime = "test"): Promise<string> {
  const root = await tempDir(lifetime);
  await cp(FIXTURE, root, { recursive: true });
  return root;
}

/** Writes `text` as `<dir>/stack.yaml` (plus the fixture charts) and loads it. */
export async function manifest(text: string): Promise<LoadedStack> {
  const root = await fixtureProject();
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, "stack.yaml"), text);
  return loadStack(path.join(root, "stack.yaml"));
}

/** Loads the fixture project's (or the repository's) stack.yaml. */
export function load(root: string): Promise<LoadedStack> {
  return loadStack(path.join(root, "stack.yaml"));
}

/** A context rooted at `root` with real dependencies and a silent logger. */
export function context(root: string): Context {
  return createContext({ root, env: process.env });
}

/** The fixture manifest with a remote https and an OCI chart added. */
export const REMOTE_MANIFEST = `apiVersion: shoppe.coffea-casa.io/v1alpha1
release:
  name: remote-shoppe
  version: 2.0.0
  description: Remote charts
kubernetes:
  versions:
    - version: 1.37.2
    - version: 1.34.13
    - version: 1.35.4
components:
  web:
    displayName: Web
    description: From an HTTP repository
    chart:
      repository: https://charts.example.org/stable
      name: web-chart
      version: 4.5.6
    appVersion: "4.5"
    images:
      - name: app
        repository: example.org/web
        tag: "4.5"
    source:
      github: example/web
  registry-thing:
    displayName: Registry thing
    description: From an OCI registry
    enabled: false
    chart:
      repository: oci://ghcr.io/example/charts
      name: thing
      version: 0.0.7
    appVersion: "0.7"
    source:
      github: example/thing
  local:
    displayName: Local
    description: From this repository
    chart:
      path: charts/cache
      name: cache
      version: 0.2.0
    appVersion: "2.0"
    source:
      github: example/cache
`;
