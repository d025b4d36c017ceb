/**
 * Resolves every setting from its flag, environment variable, config file key or default, in
 * that order, and keeps where each value came from (for `--verbose` and `shoppe doctor`).
 */
import { access } from "node:fs/promises";
import path from "node:path";
import { CONFIG_FILE, type ConfigFile, loadConfigFile } from "./config-file.js";
import { envName, SETTINGS, type SettingName } from "./registry.js";

/** Where a value came from. */
export type SettingSource = "flag" | "env" | "file" | "default";

/** One setting's value and its origin. */
export interface ResolvedSetting {
  name: SettingName;
  /** Undefined when unset. Paths are relative to the project root (or absolute). */
  value: string | undefined;
  source: SettingSource;
  /** `--mirror`, `SHOPPE_MIRROR`, `.shoppe.yaml:3:9` or `default`. */
  origin: string;
}

/** The resolved settings. */
export interface Settings {
  /** The config file read, as shown; undefined when there is none. */
  configFile: string | undefined;
  all: ResolvedSetting[];
  /** The value of one setting. */
  get(name: SettingName): string | undefined;
}

/** What resolution reads. */
export interface SettingsInput {
  /** The project root: default config file location, base of relative flag and env paths. */
  root: string;
  /** Flag values given on the command line, by setting name. */
  flags: Partial<Record<SettingName, string | undefined>>;
  env: NodeJS.ProcessEnv;
  /** `--config <file>`, relative to the project root. */
  configFlag?: string | undefined;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The config file to read: --config, else SHOPPE_CONFIG, else .shoppe.yaml if present. */
async function findConfig(input: SettingsInput): Promise<ConfigFile | undefined> {
  const named = input.configFlag ?? input.env.SHOPPE_CONFIG;
  if (named) return loadConfigFile(path.resolve(input.root, named), named);
  const file = path.join(input.root, CONFIG_FILE);
  return (await exists(file)) ? loadConfigFile(file, CONFIG_FILE) : undefined;
}

/** Resolves every setting; a bad config file is an InputError with positions. */
export async function resolveSettings(input: SettingsInput): Promise<Settings> {
  const file = await findConfig(input);
  const all = SETTINGS.map((s): ResolvedSetting => {
    const flag = input.flags[s.name];
    if (flag !== undefined)
      return { name: s.name, value: flag, source: "flag", origin: `--${s.name}` };
    const env = input.env[envName(s.name)];
    if (env) return { name: s.name, value: env, source: "env", origin: envName(s.name) };
    const fromFile = file?.values.get(s.name);
    if (fromFile) {
      const { line, col } = fromFile.position;
      const value =
        s.kind === "path" ? path.relative(input.root, fromFile.value) || "." : fromFile.value;
      return { name: s.name, value, source: "file", origin: `${file?.shown}:${line}:${col}` };
    }
    const fallback: string | undefined = "default" in s ? s.default : undefined;
    return { name: s.name, value: fallback, source: "default", origin: "default" };
  });
  return {
    configFile: file?.shown,
    all,
    get: (name) => all.find((r) => r.name === name)?.value,
  };
}
