/**
 * `helm template` of the umbrella for one profile and Kubernetes version, parsed into objects.
 * Shared by `chart template`, `images` and `resources`, so all three see the same rendering.
 */
import type { Context } from "../context.js";
import { CommandError } from "../errors.js";
import { type KubeObject, parseManifests } from "../kube/objects.js";
import { type HelmMajor, openHelm } from "../tools/helm.js";
import { warnSubstitutes } from "./deps-record.js";
import { explainHelmError } from "./explain.js";
import { nestedCharts } from "./nested-charts.js";
import {
  assertDependenciesBuilt,
  profileValues,
  type Umbrella,
  type UmbrellaProfile,
} from "./umbrella.js";

/** How to render. */
export interface RenderSettings {
  /** Helm release name; default the umbrella's name. */
  releaseName?: string;
  /** Namespace; default "default". */
  namespace?: string;
  major?: HelmMajor;
}

/** One rendering. */
export interface Rendering {
  profile: string;
  kubeVersion: string;
  objects: KubeObject[];
}

/** The release name and namespace a rendering uses. */
export function releaseOf(
  u: Umbrella,
  s: RenderSettings,
): { releaseName: string; namespace: string } {
  return { releaseName: s.releaseName ?? u.name, namespace: s.namespace ?? "default" };
}

/** Renders the umbrella once per (profile, Kubernetes version); dependencies must be built. */
export async function renderMatrix(
  ctx: Context,
  u: Umbrella,
  profiles: UmbrellaProfile[],
  kubeVersions: string[],
  s: RenderSettings = {},
): Promise<Rendering[]> {
  await assertDependenciesBuilt(u);
  await warnSubstitutes(u.chartDir, u.chartShown, ctx.logger);
  const helm = openHelm(ctx, s.major ?? "v4");
  const { releaseName, namespace } = releaseOf(u, s);
  const out: Rendering[] = [];
  for (const p of profiles) {
    for (const kubeVersion of kubeVersions) {
      const step = ctx.progress.start(
        `helm template (profile ${p.name}, Kubernetes ${kubeVersion})`,
      );
      try {
        const text = await helm.template(u.chartDir, {
          releaseName,
          namespace,
          valuesFiles: profileValues(p),
          kubeVersion,
        });
        const objects = parseManifests(
          text,
          `helm template of ${u.chartShown} (profile ${p.name})`,
        );
        step.succeed(`${objects.length} objects`);
        out.push({ profile: p.name, kubeVersion, objects });
      } catch (err) {
        step.fail();
        if (!(err instanceof CommandError)) throw err;
        throw explainHelmError(err, {
          verb: `render ${u.chartShown} with profile ${p.name} for Kubernetes ${kubeVersion}`,
          umbrella: u,
          profile: p.name,
          nested: await nestedCharts(u),
        });
      }
    }
  }
  return out;
}

/** The Kubernetes versions to render for: the one asked for (must be supported) or all of stack.yaml's. */
export function selectKubeVersions(u: Umbrella, wanted?: string): string[] {
  const all = u.stack.kubernetes.versions.map((k) => k.version);
  if (wanted === undefined) return all;
  return [wanted.replace(/^v/, "")];
}

/** The newest supported Kubernetes version (images and resources render for it by default). */
export function newestKubeVersion(u: Umbrella): string {
  const all = u.stack.kubernetes.versions.map((k) => k.version);
  const key = (v: string) =>
    v
      .split(".")
      .map((n) => n.padStart(6, "0"))
      .join(".");
  return [...all].sort((a, b) => key(a).localeCompare(key(b))).at(-1) ?? "";
}
