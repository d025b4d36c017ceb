/**
 * Flags shared by the commands that work on the rendered umbrella chart, declared once so
 * their names, defaults and help stay the same everywhere.
 */
import type { Command } from "commander";
import { describeSetting, type SettingName, settingSpec } from "../config/registry.js";
import { UsageError } from "../errors.js";
import type { HelmMajor } from "../tools/helm.js";

/** `--file` and `--chart-dir`. */
export interface UmbrellaFlags {
  file: string;
  chartDir?: string;
}

/** Umbrella flags plus what to render: profile, Kubernetes version, helm major. */
export interface InspectFlags extends UmbrellaFlags {
  profile?: string;
  kubeVersion?: string;
  helm?: string;
}

/** A duration flag (`90s`, `10m`, `1h`; a bare number is seconds) in milliseconds, above 0. */
export function durationMs(flag: string, value: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(value);
  if (!m?.[1] || Number(m[1]) === 0) {
    throw new UsageError(`${flag} expects a duration like 90s, 10m or 1h, got "${value}"`);
  }
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "s" | "m" | "h"];
}

/** `--helm v4|v3` → a major; undefined when not given. */
export function helmMajor(value: string | undefined): HelmMajor | undefined {
  if (value === undefined) return undefined;
  if (value === "v4" || value === "4") return "v4";
  if (value === "v3" || value === "3") return "v3";
  throw new UsageError(`--helm expects v4 or v3, got "${value}"`);
}

/** Adds `--file` and `--chart-dir`. */
export function umbrellaOptions(cmd: Command): Command {
  return cmd
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option("--chart-dir <dir>", "rendered umbrella chart (default charts/<release name>)");
}

/** Adds the umbrella flags and `--profile`, `--kube-version`, `--helm` (images, resources). */
export function inspectOptions(cmd: Command): Command {
  return umbrellaOptions(cmd)
    .option("-p, --profile <name>", "only this profile")
    .option(
      "--kube-version <version>",
      "Kubernetes version to render for (default: newest supported)",
    )
    .option("--helm <major>", "helm major to run: v4 (default) or v3");
}

/** The action options the inspect flags stand for. */
export function inspectSettings(o: InspectFlags) {
  return {
    file: o.file,
    chartDir: o.chartDir,
    profile: o.profile,
    kubeVersion: o.kubeVersion,
    major: helmMajor(o.helm),
  };
}

/**
 * Adds the flag of a setting (`--mirror <dir>`), its help naming the env variable and config
 * key; `description` says what the setting means to this command when it is more specific.
 */
export function settingOption(cmd: Command, name: SettingName, description?: string): Command {
  const s = settingSpec(name);
  return cmd.option(
    `--${s.name} ${s.arg}`,
    describeSetting({ ...s, ...(description ? { description } : {}) }),
  );
}
