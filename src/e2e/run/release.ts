/**
 * The release under test: helm install and upgrade of the umbrella with a profile's values
 * (the pinned helm v4), and the workloads it installed, each attributed to its component from
 * helm's own `# Source:` paths (`helm get manifest`), the most reliable clue there is.
 */
import { type AttributionScope, attribute } from "../../inspect/attribution.js";
import { parseManifests } from "../../kube/objects.js";
import type { Helm, ReleaseTarget } from "../../tools/helm.js";
import type { ExpectedWorkload } from "../readiness/tracker.js";
import { WORKLOAD_KINDS, type WorkloadKind } from "../readiness/workloads.js";

/** One chart to install or upgrade to. */
export interface ChartToInstall {
  chartDir: string;
  valuesFiles: string[];
}

/** Options shared by install and upgrade. */
export interface ReleaseOptions {
  helm: Helm;
  release: string;
  target: ReleaseTarget;
  /** Bounds helm's hooks, e.g. "10m". */
  timeout: string;
  signal: AbortSignal;
}

/** `helm install` without --wait: readiness is watched by the run. */
export async function installRelease(o: ReleaseOptions, chart: ChartToInstall): Promise<void> {
  await o.helm.install(o.release, chart.chartDir, {
    ...o.target,
    valuesFiles: chart.valuesFiles,
    timeout: o.timeout,
    signal: o.signal,
  });
}

/** `helm upgrade` to `chart`, with exactly its profile's values. */
export async function upgradeRelease(o: ReleaseOptions, chart: ChartToInstall): Promise<void> {
  await o.helm.upgrade(o.release, chart.chartDir, {
    ...o.target,
    valuesFiles: chart.valuesFiles,
    timeout: o.timeout,
    signal: o.signal,
  });
}

/** The release's workloads in its namespace, each with its component. */
export async function installedWorkloads(
  o: Pick<ReleaseOptions, "helm" | "release" | "target">,
  scope: AttributionScope,
): Promise<ExpectedWorkload[]> {
  const objects = parseManifests(await o.helm.manifest(o.release, o.target), "helm get manifest");
  const kinds: readonly string[] = WORKLOAD_KINDS;
  return objects
    .filter((obj) => kinds.includes(obj.kind))
    .filter((obj) => !obj.metadata.namespace || obj.metadata.namespace === o.target.namespace)
    .map((obj) => ({
      component: attribute(obj, scope).component,
      kind: obj.kind as WorkloadKind,
      name: obj.metadata.name,
    }));
}
