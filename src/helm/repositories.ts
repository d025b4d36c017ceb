/**
 * Where each component's chart comes from, derived from stack.yaml in this one place
 * (field-notes pitfall 2: helm refuses to build or package an umbrella whose HTTP dependency
 * repositories were not added first, and chart-releaser will not add them for you).
 */
import { isLocalChart, type Stack } from "../manifest/schema.js";

/** How helm fetches a component's chart. */
export type ChartSourceKind = "http" | "oci" | "local";

/** One component's chart source. */
export interface ChartSource {
  component: string;
  kind: ChartSourceKind;
  /** Chart name in its repository (or in its Chart.yaml for first-party charts). */
  chart: string;
  version: string;
  /** Repository URL (`https://…`, `oci://host/path`) or the chart's path relative to stack.yaml. */
  location: string;
  /** For OCI: `host[:port]` of the registry. */
  registry?: string;
  enabled: boolean;
}

/** An HTTP chart repository to `helm repo add`, and the components it serves. */
export interface HttpRepository {
  /** Name in the private helm home: `shoppe-<first component>`. */
  name: string;
  url: string;
  components: string[];
}

/** Every component's chart source, in stack.yaml order (components without a chart are left out). */
export function chartSources(stack: Stack): ChartSource[] {
  return Object.entries(stack.components).flatMap(([component, c]): ChartSource[] => {
    if (!c.chart) return [];
    const base = { component, chart: c.chart.name, version: c.chart.version, enabled: c.enabled };
    if (isLocalChart(c.chart)) return [{ ...base, kind: "local", location: c.chart.path }];
    const url = c.chart.repository;
    if (url.startsWith("oci://")) {
      const registry = url.slice("oci://".length).split("/")[0] ?? "";
      return [{ ...base, kind: "oci", location: url, registry }];
    }
    return [{ ...base, kind: "http", location: url }];
  });
}

/** Two repository URLs are one repository when they differ only by a trailing slash (as in helm). */
export function sameRepositoryUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/** The HTTP repositories to add, one per distinct URL, named after the first component using it. */
export function httpRepositories(sources: ChartSource[]): HttpRepository[] {
  const out: HttpRepository[] = [];
  for (const s of sources) {
    if (s.kind !== "http") continue;
    const known = out.find((r) => sameRepositoryUrl(r.url, s.location));
    if (known) known.components.push(s.component);
    else out.push({ name: `shoppe-${s.component}`, url: s.location, components: [s.component] });
  }
  return out;
}
