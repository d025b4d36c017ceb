/**
 * A packaged chart read in memory: its Chart.yaml, default values and dependencies, and the
 * sub-charts it bundles in `charts/` (unpacked directories and nested .tgz archives alike),
 * recursively. What `chart deps` needs to check an archive without unpacking it to disk.
 */
import { parse as parseYaml } from "yaml";
import { type ArchiveFiles, readTarGz } from "./tar-gz.js";
import { parseKeepingVersions } from "./version-yaml.js";

type Values = Record<string, unknown>;

/** A dependency a chart declares (Chart.yaml `dependencies`, or v1 `requirements.yaml`). */
export interface DeclaredDependency {
  name: string;
  version: string;
  repository?: string;
  alias?: string;
  condition?: string;
}

/** One chart of an archive and the sub-charts it bundles. */
export interface ChartNode {
  name: string;
  version: string;
  /** Chart.yaml as written. */
  meta: Values;
  dependencies: DeclaredDependency[];
  /** values.yaml ({} when absent or unreadable), parsed on first use: most checks never need it. */
  values: () => Values;
  subcharts: ChartNode[];
}

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function yamlMap(bytes: Buffer | undefined, keepVersions: boolean): Values {
  if (!bytes) return {};
  try {
    const text = bytes.toString("utf8");
    const v = keepVersions ? parseKeepingVersions(text) : parseYaml(text);
    return isMap(v) ? v : {};
  } catch {
    return {};
  }
}

function dependenciesOf(meta: Values, requirements: Values): DeclaredDependency[] {
  const list = Array.isArray(meta.dependencies) ? meta.dependencies : requirements.dependencies;
  if (!Array.isArray(list)) return [];
  return list.filter(isMap).map((d) => ({
    name: String(d.name ?? ""),
    version: String(d.version ?? ""),
    ...(typeof d.repository === "string" ? { repository: d.repository } : {}),
    ...(typeof d.alias === "string" ? { alias: d.alias } : {}),
    ...(typeof d.condition === "string" ? { condition: d.condition } : {}),
  }));
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

async function nodeAt(files: ArchiveFiles, prefix: string): Promise<ChartNode | undefined> {
  const chartYaml = files.get(`${prefix}Chart.yaml`);
  if (!chartYaml) return undefined;
  const meta = yamlMap(chartYaml, true);
  const subcharts: ChartNode[] = [];
  const seen = new Set<string>();
  for (const [file, bytes] of files) {
    if (!file.startsWith(`${prefix}charts/`)) continue;
    const rest = file.slice(`${prefix}charts/`.length);
    const slash = rest.indexOf("/");
    if (slash < 0 && rest.endsWith(".tgz")) {
      subcharts.push(await readChartArchive(bytes));
    } else if (slash > 0 && !seen.has(rest.slice(0, slash))) {
      seen.add(rest.slice(0, slash));
      const sub = await nodeAt(files, `${prefix}charts/${rest.slice(0, slash)}/`);
      if (sub) subcharts.push(sub);
    }
  }
  return {
    name: String(meta.name ?? ""),
    version: String(meta.version ?? ""),
    meta,
    dependencies: dependenciesOf(meta, yamlMap(files.get(`${prefix}requirements.yaml`), true)),
    values: once(() => yamlMap(files.get(`${prefix}values.yaml`), false)),
    subcharts,
  };
}

/** Reads a chart archive; throws when it is not a gzipped tar holding a Chart.yaml. */
export async function readChartArchive(bytes: Buffer): Promise<ChartNode> {
  const files = await readTarGz(bytes);
  const first = files.keys().next().value;
  const top = first?.split("/")[0];
  const node = top ? await nodeAt(files, `${top}/`) : undefined;
  if (!node) throw new Error(`no Chart.yaml at the top of the archive`);
  return node;
}
