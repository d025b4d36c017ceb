/**
 * `shoppe doctor`: every tool the project uses, where it was found, its version and
 * whether that matches the pin in scripts/tool-versions.env.
 */
import type { ResolvedSetting, Settings } from "../config/resolve.js";
import type { Context } from "../context.js";
import { CommandError } from "../errors.js";
import { pinKey, TOOLS } from "../tools/catalog.js";
import { locate } from "../tools/locate.js";
import { readPins } from "../tools/pins.js";
import { readToolVersion } from "../tools/version.js";

/** One row of the doctor report. */
export interface ToolStatus {
  name: string;
  binary: string;
  purpose: string;
  pinned: string | undefined;
  found: string | undefined;
  origin: "project" | "path" | undefined;
  version: string | undefined;
  status: "ok" | "missing" | "mismatch" | "unknown-version";
}

/** The doctor report; `ok` is true when every tool is present at its pinned version. */
export interface DoctorResult {
  ok: boolean;
  tools: ToolStatus[];
  /** The config file read, if any. */
  configFile?: string;
  /** Every setting with its value and where it came from (flag, env, file, default). */
  settings: ResolvedSetting[];
}

/** Options of doctor: the settings the CLI resolved, reported as they are. */
export interface DoctorOptions {
  settings?: Settings;
}

/** Checks every catalogued tool against its pin, and reports the settings in effect. */
export async function doctor(ctx: Context, options: DoctorOptions = {}): Promise<DoctorResult> {
  const pins = readPins(ctx.root);
  const tools = await Promise.all(
    TOOLS.map(async (spec): Promise<ToolStatus> => {
      const pinned = pins[pinKey(spec)];
      const where = locate(ctx.root, spec.binary, ctx.env.PATH ?? "");
      const base = { name: spec.name, binary: spec.binary, purpose: spec.purpose, pinned };
      if (!where) {
        return {
          ...base,
          found: undefined,
          origin: undefined,
          version: undefined,
          status: "missing",
        };
      }
      let version: string | undefined;
      try {
        version = await readToolVersion(ctx.runner, spec, where.path);
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        ctx.logger.debug(err.message);
      }
      const status = !version ? "unknown-version" : version === pinned ? "ok" : "mismatch";
      return { ...base, found: where.path, origin: where.origin, version, status };
    }),
  );
  const configFile = options.settings?.configFile;
  return {
    ok: tools.every((t) => t.status === "ok"),
    tools,
    ...(configFile ? { configFile } : {}),
    settings: options.settings?.all ?? [],
  };
}
