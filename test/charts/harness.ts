/**
 * Shared set-up for the chart tests: the real helm of each major with a private, temporary
 * helm home, and small helpers to render a chart into parsed objects.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createContext } from "../../src/context.js";
import { CommandError } from "../../src/errors.js";
import { type KubeObject, parseManifests, podSpecOf } from "../../src/kube/objects.js";
import { HELM_BINARY, type Helm, type HelmMajor, openHelm } from "../../src/tools/helm.js";
import { KUBE_VERSIONS } from "../helpers/kube-versions.js";
import { ROOT } from "../helpers/tools.js";

/** Both helm majors the charts must work with. */
export const HELM_MAJORS: readonly HelmMajor[] = ["v4", "v3"];

/** The helm binary name of a major, for describeWithTools. */
export function helmBinary(major: HelmMajor): string {
  return HELM_BINARY[major];
}

/** Absolute path of a first-party chart. */
export function chartDir(name: "xcache" | "triton"): string {
  return path.join(ROOT, "charts", name);
}

/** The `ci/*-values.yaml` scenario files of a chart, sorted by name. */
export async function ciScenarios(chart: string): Promise<string[]> {
  const dir = path.join(chart, "ci");
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith("-values.yaml")).sort();
  return files.map((f) => path.join(dir, f));
}

/** One helm major with a throwaway home; `close()` removes the home. */
export interface HelmHarness {
  helm: Helm;
  home: string;
  close(): Promise<void>;
}

/** Opens the pinned helm of `major` with a fresh temporary home under os.tmpdir(). */
export async function openHarness(major: HelmMajor): Promise<HelmHarness> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `shoppe-chart-test-${major}-`));
  const ctx = createContext({ root: ROOT });
  const helm = openHelm(ctx, major, home);
  return { helm, home, close: () => fs.rm(home, { recursive: true, force: true }) };
}

/**
 * The Kubernetes version renders use unless a test names one: the newest supported, never
 * helm's own default (whatever Kubernetes its client libraries target).
 */
export const DEFAULT_KUBE_VERSION = KUBE_VERSIONS[KUBE_VERSIONS.length - 1] as string;

/** What a test asks helm template for. */
export interface RenderRequest {
  valuesFiles?: string[];
  set?: Record<string, string>;
  kubeVersion?: string;
  apiVersions?: string[];
  releaseName?: string;
  namespace?: string;
}

/** `helm template` of `chart`, parsed into objects. */
export async function render(
  helm: Helm,
  chart: string,
  r: RenderRequest = {},
): Promise<KubeObject[]> {
  const text = await helm.template(chart, {
    releaseName: r.releaseName ?? "r",
    namespace: r.namespace ?? "shoppe",
    valuesFiles: r.valuesFiles ?? [],
    set: r.set ?? {},
    kubeVersion: r.kubeVersion ?? DEFAULT_KUBE_VERSION,
    apiVersions: r.apiVersions ?? [],
  });
  return parseManifests(text, `helm template ${path.basename(chart)}`);
}

/** The rendered NOTES.txt (via `helm install --dry-run=client`, helm's default capabilities). */
export async function notes(
  helm: Helm,
  chart: string,
  r: Omit<RenderRequest, "kubeVersion" | "apiVersions"> = {},
): Promise<string> {
  return helm.notes(chart, {
    releaseName: r.releaseName ?? "r",
    namespace: r.namespace ?? "shoppe",
    valuesFiles: r.valuesFiles ?? [],
    set: r.set ?? {},
  });
}

/** Runs `fn`, which must fail with a CommandError; returns helm's output (the error text). */
export async function helmFailure(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CommandError) return `${e.message}\n${e.output}`;
    throw e;
  }
  throw new Error("expected helm to fail, but it succeeded");
}

/** The only object of `kind` (optionally named `name`); throws when there is not exactly one. */
export function only(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${kind}${name ? `/${name}` : ""}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`,
    );
  }
  return found[0] as KubeObject;
}

/** Loose view of a rendered pod spec, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped YAML.
export type Loose = any;

/** The pod spec of a workload, typed loosely for assertions. */
export function pod(o: KubeObject): Loose {
  const spec = podSpecOf(o);
  if (!spec) throw new Error(`${o.kind}/${o.metadata.name} has no pod spec`);
  return spec;
}

/** A container of a pod spec by name (containers and initContainers). */
export function container(spec: Loose, name: string): Loose {
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const c = all.find((x: Loose) => x.name === name);
  if (!c) throw new Error(`no container ${name}; have ${all.map((x: Loose) => x.name).join(", ")}`);
  return c;
}

/** Every image any rendered pod would pull (containers and init containers). */
export function imagesOf(objects: KubeObject[]): string[] {
  const images = new Set<string>();
  for (const o of objects) {
    const spec = podSpecOf(o) as Loose;
    if (!spec) continue;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])])
      images.add(c.image);
  }
  return [...images].sort();
}

/**
 * Problems with the invariants every scenario must keep, whatever its values: pods off the
 * host network, non-root, no privilege escalation, all capabilities dropped; HPAs on
 * autoscaling/v2. Returns one line per problem; empty when all hold.
 */
export function invariantProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const ref = `${o.kind}/${o.metadata.name}`;
    if (o.kind === "HorizontalPodAutoscaler" && o.apiVersion !== "autoscaling/v2") {
      problems.push(`${ref}: ${o.apiVersion}, not autoscaling/v2`);
    }
    const spec = podSpecOf(o) as Loose;
    if (!spec) continue;
    if (spec.hostNetwork === true) problems.push(`${ref}: hostNetwork`);
    if (spec.securityContext?.runAsNonRoot !== true) problems.push(`${ref}: pod may run as root`);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(`${ref}/${c.name}: privilege escalation`);
      if (!sc.capabilities?.drop?.includes("ALL"))
        problems.push(`${ref}/${c.name}: capabilities not dropped`);
      if (sc.privileged) problems.push(`${ref}/${c.name}: privileged`);
    }
  }
  return problems;
}
