/**
 * The service tier's input: the real umbrella rendered with `helm template` (the pinned helm v4,
 * its dependencies built), with the profile's values, for a namespace and Kubernetes version,
 * parsed; the wiring ConfigMap's data as rendered; and the pins of the enabled components.
 */
import path from "node:path";
import { endpointsConfigMapName } from "../../chart/model.js";
import { profileValues, type Umbrella, type UmbrellaProfile } from "../../helm/umbrella.js";
import { type KubeObject, parseManifests } from "../../kube/objects.js";
import type { Helm } from "../../tools/helm.js";
import { dataOf } from "./rendered.js";

/** The umbrella as the tier starts it. */
export interface RenderedRelease {
  objects: KubeObject[];
  namespace: string;
  release: string;
  wiring: Record<string, string>;
  pins: Record<string, string>;
}

/** Renders the umbrella (see the module comment). */
export async function renderRelease(
  u: Umbrella,
  profile: UmbrellaProfile,
  helm: Helm,
  o: { namespace: string; kubeVersion: string },
): Promise<RenderedRelease> {
  const release = u.stack.release.name;
  const text = await helm.template(u.chartDir, {
    releaseName: release,
    namespace: o.namespace,
    valuesFiles: profileValues(profile),
    kubeVersion: o.kubeVersion,
  });
  const objects = parseManifests(text, `helm template of ${u.chartShown}`);
  const wiring = dataOf(objects, "ConfigMap", endpointsConfigMapName(u.stack));
  const pins = Object.fromEntries(
    Object.entries(u.stack.components).map(([id, c]) => [
      id,
      String(c.appVersion ?? c.chart?.version ?? ""),
    ]),
  );
  return { objects, namespace: o.namespace, release, wiring, pins };
}

/** Renders a chart of the project (the xcache chart as a test origin). */
export async function renderProjectChart(
  helm: Helm,
  root: string,
  chart: string,
  o: {
    releaseName: string;
    namespace: string;
    valuesFiles?: string[];
    set?: Record<string, string>;
  },
): Promise<KubeObject[]> {
  const text = await helm.template(path.resolve(root, chart), {
    releaseName: o.releaseName,
    namespace: o.namespace,
    valuesFiles: (o.valuesFiles ?? []).map((f) => path.resolve(root, f)),
    ...(o.set ? { set: o.set } : {}),
  });
  return parseManifests(text, `helm template of ${chart}`);
}

/** Renders an umbrella chart directory (the --upgrade-from one) the way `renderRelease` does. */
export async function renderChartDir(
  helm: Helm,
  chart: { chartDir: string; valuesFiles: string[] },
  release: string,
  o: { namespace: string; kubeVersion: string },
): Promise<RenderedRelease> {
  const text = await helm.template(chart.chartDir, {
    releaseName: release,
    namespace: o.namespace,
    valuesFiles: chart.valuesFiles,
    kubeVersion: o.kubeVersion,
  });
  const objects = parseManifests(text, `helm template of ${chart.chartDir}`);
  const wiring = dataOf(objects, "ConfigMap", `${release}-endpoints`);
  return { objects, namespace: o.namespace, release, wiring, pins: {} };
}
