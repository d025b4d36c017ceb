/**
 * The umbrella values a profile installs with (values.yaml overlaid by the profile's file, the
 * way helm merges them), and from them which components a profile enables: the dependency's
 * `condition` path, as helm evaluates it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
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

async function readValues(file: string): Promise<Values> {
  try {
    const v = parseYaml(await readFile(file, "utf8"));
    return isMap(v) ? v : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
}

/** The merged values of a profile. */
export async function profileValuesOf(u: Umbrella, p: UmbrellaProfile): Promise<Values> {
  const base = await readValues(path.join(u.chartDir, "values.yaml"));
  return p.valuesFile ? mergeValues(base, await readValues(p.valuesFile)) : base;
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
