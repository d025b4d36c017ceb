/** `shoppe outdated`: newer upstream releases of every component's chart, under its policy. */
import type { Command } from "commander";
import type { OutdatedResult } from "../../actions/outdated.js";
import type { ComponentUpdates } from "../../updates/check.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";
import { type UpstreamFlags, upstreamOptions, upstreamSettings } from "../update-options.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/outdated.js");

const OUTCOME: Record<string, string> = {
  fetched: "fetched",
  "not-modified": "304, cached",
  "offline-cached": "cached, offline",
  mirror: "mirror",
};

function wanted(c: ComponentUpdates): string {
  if (c.status === "first-party") return "first-party chart: no upstream";
  if (c.status === "no-chart") return "no chart";
  if (c.status === "error") return "ERROR (below)";
  const track = `track ${c.policy.track}${c.policy.prereleases ? ", pre-releases" : ""}`;
  return c.wanted ? `${c.wanted} (${track})` : `up to date (${track})`;
}

function human(r: OutdatedResult): string {
  const rows = r.components.map((c) => [
    c.component,
    c.chart ?? "",
    c.current ?? "",
    c.patch ?? "",
    c.minor ?? "",
    c.major ?? "",
    wanted(c),
    c.origin ? `${c.origin}${c.outcome ? ` (${OUTCOME[c.outcome] ?? c.outcome})` : ""}` : "",
  ]);
  const lines = [
    renderTable(
      ["component", "chart", "current", "patch", "minor", "major", "wanted", "source"],
      rows,
    ),
  ];
  for (const c of r.components) {
    if (c.pinMissing) {
      lines.push(
        `warning: ${c.component}: ${c.chart} ${c.current} is no longer listed by ${c.origin}`,
      );
    }
    if (c.error) lines.push(`error: ${c.component}: ${c.error}`);
  }
  const n = r.components.filter((c) => c.status === "outdated").length;
  const behind =
    n === 0
      ? "no component is behind its policy"
      : n === 1
        ? "1 component is behind its policy"
        : `${n} components are behind their policy`;
  lines.push(`${behind}; ${r.transferred} bytes of indexes transferred`);
  return lines.join("\n");
}

/** Registers `outdated`. */
export function register(program: Command, kit: Kit): void {
  upstreamOptions(
    program.command("outdated"),
    "read the chart repositories it stands for from this mirror",
  )
    .description(
      "newer releases of every component's chart (patch, minor, major) and what its update policy wants; exit 1 when a source fails",
    )
    .option("--fail-on-outdated", "exit 1 when a component is behind its policy")
    .action(async (o: UpstreamFlags & { failOnOutdated?: boolean }, cmd: Command) => {
      const options = await upstreamSettings(kit, cmd, o);
      const ctx = await kit.context(cmd);
      const result = await interruptible(async (signal) =>
        (await actions()).outdated(ctx, { ...options, signal }),
      );
      kit.print(cmd, result, human);
      if (result.failed || (o.failOnOutdated && result.outdated)) kit.fail(1);
    });
}
