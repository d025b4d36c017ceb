/**
 * What every command module gets: the global flags, a Context built from them, and one way
 * to print a result (JSON on --json, a human rendering otherwise) and set the exit code.
 */
import path from "node:path";
import type { Command } from "commander";
import { optionKey, SETTINGS, type SettingName } from "../config/registry.js";
import type { Settings } from "../config/resolve.js";
import { type Context, createContext } from "../context.js";
import { type CliIO, cliLogger, cliProgress, type GlobalFlags } from "./io.js";

/** The exit code a command leaves behind (a failed check sets 1). */
export interface Outcome {
  exitCode: number;
}

/** Helpers shared by command modules. */
export class Kit {
  constructor(
    readonly io: CliIO,
    private readonly outcome: Outcome,
  ) {}

  /** Global flags, wherever on the command line they were given. */
  flags(cmd: Command): GlobalFlags & { chdir?: string; config?: string } {
    return cmd.optsWithGlobals();
  }

  /** The project root: --chdir, else the working directory. */
  root(cmd: Command): string {
    const dir = this.flags(cmd).chdir;
    return dir ? path.resolve(this.io.cwd, dir) : this.io.cwd;
  }

  /** A Context whose logger and progress honour --quiet, --verbose and --json. */
  async context(cmd: Command): Promise<Context> {
    const flags = this.flags(cmd);
    return createContext({
      root: this.root(cmd),
      env: this.io.env,
      logger: cliLogger(this.io, flags),
      progress: await cliProgress(this.io, flags),
    });
  }

  /**
   * Every setting resolved from the command's flags, the environment, the config file and the
   * defaults; each value and its origin is a debug line (shown with --verbose).
   */
  async settings(cmd: Command): Promise<Settings> {
    const opts = this.flags(cmd) as Record<string, unknown>;
    const flags: Partial<Record<SettingName, string>> = {};
    for (const s of SETTINGS) {
      const v = opts[optionKey(s.name)];
      if (typeof v === "string") flags[s.name] = v;
    }
    const { resolveSettings } = await import("../config/resolve.js");
    const settings = await resolveSettings({
      root: this.root(cmd),
      flags,
      env: this.io.env,
      configFlag: this.flags(cmd).config,
    });
    const log = cliLogger(this.io, this.flags(cmd));
    for (const r of settings.all) {
      const from = r.source === "default" ? "default" : `${r.source}: ${r.origin}`;
      log.debug(`setting ${r.name} = ${r.value ?? "(unset)"} (${from})`);
    }
    return settings;
  }

  /** Prints `result` as JSON with --json, else the text `human` renders (if any). */
  print<T>(cmd: Command, result: T, human: (r: T) => string): void {
    if (this.flags(cmd).json) {
      this.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const text = human(result);
    if (text) this.io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Records a non-zero exit code (a check that ran and failed). */
  fail(code = 1): void {
    this.outcome.exitCode = Math.max(this.outcome.exitCode, code);
  }
}
