/** `shoppe bump`: move components to newer chart releases, in stack.yaml or as pull requests. */
import type { Command } from "commander";
import type { BumpResult } from "../../actions/bump.js";
import { UsageError } from "../../errors.js";
import type { BumpPlan } from "../../updates/plan-bump.js";
import type { Level } from "../../updates/policy.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { settingOption } from "../options.js";
import { type UpstreamFlags, upstreamOptions, upstreamSettings } from "../update-options.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/bump.js");

function plan(b: BumpPlan): string {
  const lines = [`${b.component}: ${b.chart} ${b.from} -> ${b.to}`];
  if (b.appVersion) lines.push(`  appVersion ${b.appVersion.from} -> ${b.appVersion.to}`);
  for (const i of b.images) {
    if (i.to !== undefined && i.to !== i.from)
      lines.push(`  image ${i.name} ${i.repository}: ${i.from} -> ${i.to}`);
  }
  for (const v of b.values) lines.push(`  value ${v.where} -> ${v.value}`);
  for (const u of b.unknown) lines.push(`  not derived: ${u}`);
  for (const n of b.newlyNamed) lines.push(`  newly named by the chart (not pinned): ${n}`);
  return lines.join("\n");
}

function human(r: BumpResult): string {
  const parts = r.bumps.map(plan);
  for (const s of r.skipped) parts.push(`${s.component}: up to date (${s.reason})`);
  for (const f of r.failed) parts.push(`error: ${f.component}: ${f.reason}`);
  for (const pr of r.pullRequests) {
    const files = pr.files.map((f) => `    ${f.change}: ${f.path}`).join("\n");
    const head = pr.dryRun
      ? `would open "${pr.title}" from branch ${pr.branch} (dry run; --publish opens it):`
      : pr.outcome?.created
        ? `opened #${pr.outcome.number} ${pr.outcome.url} from branch ${pr.branch}:`
        : `already open: #${pr.outcome?.number} ${pr.outcome?.url} from branch ${pr.branch}:`;
    parts.push(`${head}\n${files}`);
  }
  if (r.written)
    parts.push(r.stackDiff.trimEnd(), r.chartDiff.trimEnd() || "the umbrella chart is unchanged");
  if (r.bumps.length === 0 && r.failed.length === 0) parts.push("nothing to bump");
  return parts.filter(Boolean).join("\n\n");
}

function level(value: string | undefined): Level | undefined {
  if (value === undefined) return undefined;
  if (value === "patch" || value === "minor" || value === "major") return value;
  throw new UsageError(`--level expects patch, minor or major, got "${value}"`);
}

interface BumpFlags extends UpstreamFlags {
  all?: boolean;
  to?: string;
  level?: string;
  pr?: boolean;
  publish?: boolean;
  base?: string;
}

/** Registers `bump`. */
export function register(program: Command, kit: Kit): void {
  const cmd = upstreamOptions(
    program.command("bump"),
    "read the chart repositories it stands for from this mirror",
  )
    .argument("[component]", "the component to bump (or --all)")
    .description(
      "move a component to a newer chart release: edit stack.yaml in place (comments kept), take appVersion and image tags from the release's metadata, re-render, print the diff; --pr opens one pull request per component instead",
    )
    .option("--all", "bump every component its update policy allows")
    .option("--to <version>", "bump to this release")
    .option("--level <level>", "the newest release up to this step: patch, minor or major")
    .option(
      "--pr",
      "one pull request per component instead of editing the working tree (a dry run without --publish)",
    )
    .option("--publish", "with --pr: really open the pull requests (token in GITHUB_TOKEN)")
    .option(
      "--base <branch>",
      "base branch of the pull requests (default: the repository's default branch)",
    );
  settingOption(cmd, "github-repo");
  settingOption(cmd, "github-api").action(
    async (component: string | undefined, o: BumpFlags, c: Command) => {
      if (o.publish && !o.pr) throw new UsageError("--publish opens pull requests: give --pr too");
      const options = await upstreamSettings(kit, c, o);
      const settings = await kit.settings(c);
      const [githubRepo, githubApi] = [settings.get("github-repo"), settings.get("github-api")];
      const ctx = await kit.context(c);
      const lvl = level(o.level);
      const result = await interruptible(async (signal) =>
        (await actions()).bump(ctx, {
          ...options,
          components: component ? [component] : [],
          all: Boolean(o.all),
          ...(o.to !== undefined ? { to: o.to } : {}),
          ...(lvl ? { level: lvl } : {}),
          pr: Boolean(o.pr),
          publish: Boolean(o.publish),
          ...(githubRepo ? { githubRepo } : {}),
          ...(githubApi ? { githubApi } : {}),
          ...(o.base ? { base: o.base } : {}),
          signal,
        }),
      );
      kit.print(c, result, human);
      if (result.failed.length > 0) kit.fail(1);
    },
  );
}
