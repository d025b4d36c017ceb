/**
 * Which component a rendered object belongs to. Three clues, most reliable first: helm's
 * `# Source: <umbrella>/charts/<alias>/…` path (the alias is the component id), the standard
 * `app.kubernetes.io/*` and `helm.sh/chart` labels, and finally subchart naming
 * (`<release>-servicex-app`).
 */
import type { KubeObject } from "../kube/objects.js";

/** What attribution needs to know about the umbrella. */
export interface AttributionScope {
  /** The umbrella chart's name (first segment of every `# Source:` path). */
  umbrella: string;
  /** Component id → its chart name (ids double as subchart aliases). */
  components: Record<string, string | undefined>;
}

/** The umbrella's own objects (endpoints ConfigMap, wiring) are attributed to this name. */
export const UMBRELLA = "(umbrella)";

/** A component and the clue that named it. */
export interface Attribution {
  component: string;
  via: "source" | "label" | "name" | "none";
}

/** Attributes one object to a component id, or to UMBRELLA / "(unknown)". */
export function attribute(o: KubeObject, scope: AttributionScope): Attribution {
  const ids = Object.keys(scope.components);
  const fromSource = fromSourcePath(o.source, scope.umbrella, ids);
  if (fromSource) return { component: fromSource, via: "source" };
  if (o.source?.startsWith(`${scope.umbrella}/templates/`))
    return { component: UMBRELLA, via: "source" };
  const fromLabel = fromLabels(o.metadata.labels ?? {}, scope);
  if (fromLabel) return { component: fromLabel, via: "label" };
  const fromName = fromNaming(o.metadata.name, ids);
  if (fromName) return { component: fromName, via: "name" };
  return { component: "(unknown)", via: "none" };
}

/** `coffea-shoppe/charts/servicex/charts/rabbitmq/templates/x.yaml` → `servicex`. */
function fromSourcePath(
  source: string | undefined,
  umbrella: string,
  ids: string[],
): string | undefined {
  if (!source) return undefined;
  const m = /^([^/]+)\/charts\/([^/]+)\//.exec(source);
  if (!m || m[1] !== umbrella) return undefined;
  return ids.includes(m[2] as string) ? m[2] : undefined;
}

function fromLabels(labels: Record<string, string>, scope: AttributionScope): string | undefined {
  const ids = Object.keys(scope.components);
  const byChart = (chart: string) =>
    ids.find((id) => id === chart) ?? ids.find((id) => scope.components[id] === chart);
  const partOf = labels["app.kubernetes.io/part-of"];
  if (partOf && ids.includes(partOf)) return partOf;
  // helm.sh/chart is `<chart name>-<version>`; the version starts at the last dash before a digit.
  const chartLabel = labels["helm.sh/chart"] ?? labels.chart;
  const chart = chartLabel?.replace(/-v?\d[^-]*(-[^-]+)*$/, "");
  const fromChart = chart ? byChart(chart) : undefined;
  if (fromChart) return fromChart;
  const name = labels["app.kubernetes.io/name"] ?? labels.app;
  return name ? byChart(name) : undefined;
}

/** `<release>-servicex-app` → `servicex`: the longest id that is a dash-separated part of the name. */
function fromNaming(name: string, ids: string[]): string | undefined {
  const padded = `-${name}-`;
  return [...ids].sort((a, b) => b.length - a.length).find((id) => padded.includes(`-${id}-`));
}
