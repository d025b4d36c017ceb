/**
 * The config file, `.shoppe.yaml` in the project root (or the file `--config`/`SHOPPE_CONFIG`
 * names): one key per setting of the registry, checked by a strict schema, so an unknown or
 * misspelt key is an error with `file:line:col`. Relative paths in it are relative to the file.
 */
import path from "node:path";
import * as z from "zod";
import { InputError, type SourcePosition } from "../errors.js";
import { parseYamlFile } from "../manifest/parse.js";
import { issuesToDiagnostics } from "../manifest/schema-issues.js";
import { SETTINGS } from "./registry.js";

/** The config file's name in the project root. */
export const CONFIG_FILE = ".shoppe.yaml";

/** The schema: every setting optional, nothing else allowed. */
export const ConfigSchema = z.strictObject(
  Object.fromEntries(
    SETTINGS.map((s) => [s.name, z.string().min(1, "must not be empty").optional()]),
  ) as Record<string, z.ZodOptional<z.ZodString>>,
);

/** A value the file sets, and where. */
export interface FileValue {
  value: string;
  position: SourcePosition;
}

/** A loaded config file. */
export interface ConfigFile {
  /** As shown in messages. */
  shown: string;
  values: Map<string, FileValue>;
}

/** Loads and checks a config file; path values come back absolute (relative to the file). */
export async function loadConfigFile(file: string, shown: string): Promise<ConfigFile> {
  const { positioned, value } = await parseYamlFile(file, shown);
  const invalid = (message: string, at = positioned.locate([])) =>
    new InputError(`failed to load ${shown}: not a valid config file`, [
      { position: at, path: "", message },
    ]);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("the document must be a mapping of settings");
  }
  const parsed = ConfigSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const diagnostics = issuesToDiagnostics(parsed.error.issues, positioned).map((d) =>
      d.message.startsWith("unknown key")
        ? { ...d, message: `${d.message} (settings: ${SETTINGS.map((s) => s.name).join(", ")})` }
        : d,
    );
    throw new InputError(`failed to load ${shown}: not a valid config file`, diagnostics);
  }
  const values = new Map<string, FileValue>();
  for (const s of SETTINGS) {
    const v = parsed.data[s.name];
    if (v === undefined) continue;
    const resolved = s.kind === "path" ? path.resolve(path.dirname(file), v) : v;
    values.set(s.name, { value: resolved, position: positioned.locate([s.name]) });
  }
  return { shown, values };
}
