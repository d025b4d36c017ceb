/**
 * The umbrella values a profile installs with (values.yaml overlaid by the profile's file, the
 * way helm merges them), and from them which components a profile enables: the dependency's
 * `condition` path, as helm evaluates it.
 */
import path from "node:path";
import { InputFileError } from "../errors.js";
import { parseYamlFile } from "../manifest/parse.js";
import type { Umbrella, UmbrellaProfile } from "./umbrella.js";

type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Helm's merge of values files: maps merge key by key, everything else is replaced. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? mergeValues(b, v) : v;
  }
  return out;
}

/** A values file, read as strictly as stack.yaml; a missing or empty one holds no values. */
async function readValues(file: string, shown: string): Promise<Values> {
  try {
    const { value } = await parseYamlFile(file, shown, { allowEmpty: true });
    return isMap(value) ? value : {};
  } catch (err) {
    if (err instanceof InputFileError && err.missing) return {};
    throw err;
  }
}

/** The merged values of a profile. */
export async function profileValuesOf(u: Umbrella, p: UmbrellaProfile): Promise<Values> {
  const base = await readValues(
    path.join(u.chartDir, "values.yaml"),
    path.join(u.chartShown, "values.yaml"),
  );
  if (!p.valuesFile) return base;
  const shown = path.join(u.chartShown, path.relative(u.chartDir, p.valuesFile));
  return mergeValues(base, await readValues(p.valuesFile, shown));
}

function at(values: Values, dotted: string): unknown {
  let cur: unknown = values;
  for (const k of dotted.split(".")) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * Component id → enabled under a profile. Like helm, the first condition path that resolves to
 * a boolean decides; a dependency without one is enabled.
 */
export async function enabledComponents(
  u: Umbrella,
  p: UmbrellaProfile,
): Promise<Record<string, boolean>> {
  const values = await profileValuesOf(u, p);
  const out: Record<string, boolean> = {};
  for (const d of u.dependencies) {
    const paths = (d.condition ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const decided = paths.map((c) => at(values, c)).find((v) => typeof v === "boolean");
    out[d.component] = decided === undefined ? true : (decided as boolean);
  }
  return out;
}
