/**
 * `.shoppe-deps.json`, written by `chart deps` into the chart directory beside Chart.lock: per
 * dependency, where its archive came from (the repository, or a mirror's folder standing for
 * it), the archive's sha256 and, for a substitute, why it is not the published chart. `chart
 * package` reads it to refuse publishing a substituted chart as the real one. Deterministic:
 * the same inputs give the same bytes.
 */
import path from "node:path";
import { InputError, InputFileError } from "../errors.js";
import { readInputText } from "../io/read-input.js";

/** The record's file name in the chart directory. */
export const DEPS_RECORD = ".shoppe-deps.json";

/** One dependency as chart deps placed it in charts/. */
export interface DepsRecordEntry {
  component: string;
  chart: string;
  version: string;
  /** Fetched from the repository itself, or from a mirror folder standing for it. */
  source: "repository" | "mirror";
  /** The pinned repository (https://…, oci://…, file://…). */
  repository: string;
  /** The mirror folder (relative to the mirror) when source is "mirror". */
  mirrorFolder?: string;
  sha256: string;
  /** Why the archive is not the published chart, when it is a declared substitute. */
  substitute?: string;
}

/** The whole record. */
export interface DepsRecord {
  generator: "shoppe chart deps";
  dependencies: DepsRecordEntry[];
}

/** The record's bytes: fixed key order, two-space JSON, newline-terminated. */
export function formatDepsRecord(entries: DepsRecordEntry[]): string {
  const dependencies = entries.map((e) => ({
    component: e.component,
    chart: e.chart,
    version: e.version,
    source: e.source,
    repository: e.repository,
    ...(e.mirrorFolder !== undefined ? { mirrorFolder: e.mirrorFolder } : {}),
    sha256: e.sha256,
    ...(e.substitute !== undefined ? { substitute: e.substitute } : {}),
  }));
  return `${JSON.stringify({ generator: "shoppe chart deps", dependencies }, null, 2)}\n`;
}

/** The record in `chartDir`, or undefined when chart deps has not written one. */
export async function readDepsRecord(
  chartDir: string,
  shown: string,
): Promise<DepsRecord | undefined> {
  const shownFile = path.join(shown, DEPS_RECORD);
  let text: string;
  try {
    text = await readInputText(path.join(chartDir, DEPS_RECORD), { shown: shownFile });
  } catch (err) {
    if (err instanceof InputFileError && err.missing) return undefined;
    throw err;
  }
  try {
    const doc = JSON.parse(text) as DepsRecord;
    if (!Array.isArray(doc.dependencies)) throw new Error("no dependencies list");
    return doc;
  } catch (err) {
    throw new InputError(
      `failed to read ${shownFile}: ${(err as Error).message}; run \`shoppe chart deps\` again`,
    );
  }
}

/**
 * Warns once per substitute the chart's record lists: whatever renders, lints or packages this
 * chart is working with archives that are not the published charts.
 */
export async function warnSubstitutes(
  chartDir: string,
  shown: string,
  logger: { warn(message: string): void },
): Promise<void> {
  const record = await readDepsRecord(chartDir, shown);
  for (const d of record?.dependencies ?? []) {
    if (d.substitute) {
      logger.warn(
        `${d.component}: ${shown}/charts holds ${d.chart} ${d.version}, a substitute: ${d.substitute}`,
      );
    }
  }
}
