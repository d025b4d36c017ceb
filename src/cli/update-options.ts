/**
 * Flags of the commands that reach upstream (outdated, bump, verify), declared once: the
 * manifest, the mirror and registry-auth settings, offline mode and the request limits.
 */
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { Kit } from "./kit.js";
import { settingOption } from "./options.js";

/** The flags as commander parses them. */
export interface UpstreamFlags {
  file: string;
  offline?: boolean;
  timeout: string;
  retries: string;
  concurrency: string;
}

/** Adds `--file`, `--mirror`, `--registry-auth`, `--offline` and the request limits. */
export function upstreamOptions(cmd: Command, mirrorHelp: string): Command {
  settingOption(
    cmd.option("-f, --file <path>", "stack manifest", "stack.yaml"),
    "mirror",
    mirrorHelp,
  );
  return settingOption(cmd, "registry-auth")
    .option("--offline", "send no request: only the mirror and the cache answer")
    .option("--timeout <seconds>", "time limit of each request attempt", "30")
    .option("--retries <n>", "retries of a request that failed or timed out (with backoff)", "2")
    .option("--concurrency <n>", "requests in flight at most", "8");
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || n < min) {
    throw new UsageError(`${flag} expects a number of at least ${min}, got "${value}"`);
  }
  return n;
}

/** The upstream options of an action, from the flags and the settings. */
export async function upstreamSettings(kit: Kit, cmd: Command, o: UpstreamFlags) {
  const settings = await kit.settings(cmd);
  const mirror = settings.get("mirror");
  const registryAuth = settings.get("registry-auth");
  return {
    file: o.file,
    ...(mirror ? { mirror } : {}),
    ...(registryAuth ? { registryAuth } : {}),
    offline: Boolean(o.offline),
    timeoutMs: Math.round(count("--timeout", o.timeout, 0.1) * 1000),
    retries: Math.floor(count("--retries", o.retries, 0)),
    concurrency: Math.floor(count("--concurrency", o.concurrency, 1)),
  };
}
