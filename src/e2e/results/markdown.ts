/**
 * The Markdown summary of e2e results, for `$GITHUB_STEP_SUMMARY` and `summary.md`: the run's
 * verdict and tier first, then a table of components and one of checks, every status in words
 * (never only a colour or a symbol).
 */
import { mdCell, mdText } from "../../chart/escape/markdown.js";
import type { CheckResult, ComponentResult, E2eResults } from "./model.js";

function row(cells: string[]): string {
  return `| ${cells.map((c) => mdCell(c)).join(" | ")} |`;
}

function componentTable(list: ComponentResult[]): string[] {
  if (list.length === 0) return [];
  return [
    row(["component", "status", "detail"]),
    row(["---", "---", "---"]),
    ...list.map((c) =>
      row([
        mdText(c.id),
        c.status,
        mdText(c.reason ?? c.workloads.map((w) => `${w.kind}/${w.name} ${w.detail}`).join("; ")),
      ]),
    ),
  ];
}

function checkTable(list: CheckResult[]): string[] {
  if (list.length === 0) return [];
  return [
    row(["check", "component", "needs", "status", "reason"]),
    row(["---", "---", "---", "---", "---"]),
    ...list.map((c) =>
      row([
        mdText(c.name),
        mdText(c.component),
        c.needs.join(", "),
        c.status,
        mdText(c.reason ?? ""),
      ]),
    ),
  ];
}

/** The summary of one run. */
export function markdownSummary(r: E2eResults): string {
  const tier = r.tier ? `tier **${r.tier}**` : "nothing installed";
  const served = r.kubernetes.served ? ` (served ${mdText(r.kubernetes.served)})` : "";
  const lines = [
    `### shoppe e2e: ${mdText(r.provider.name)}, Kubernetes ${mdText(r.kubernetes.version)}${served}, profile ${mdText(r.profile)}: **${r.status}**, ${tier}`,
    "",
    `${mdText(r.chart.name)} ${mdText(r.chart.version)} from stack.yaml ${mdText(r.stack.digest.slice(0, 19))}${r.git ? `, commit ${mdText(r.git.commit.slice(0, 12))}${r.git.dirty ? " (uncommitted changes)" : ""}` : ""}.`,
  ];
  if (r.reason) lines.push("", mdText(r.reason));
  if (!r.provider.runsContainers) {
    lines.push(
      "",
      "Pods were simulated: readiness is what the control plane reconciled; a check that needs a live service is skipped here, never passed.",
    );
  }
  const substitutes = r.chart.dependencies.filter((d) => d.substitute);
  if (substitutes.length > 0) {
    lines.push("", "Substitute charts stood in for the published ones:");
    for (const d of substitutes)
      lines.push(`- ${mdText(`${d.component}: ${d.chart} ${d.version}: ${d.substitute}`)}`);
  }
  const components = componentTable(r.components);
  if (components.length) lines.push("", ...components);
  const checks = checkTable(r.checks);
  if (checks.length) lines.push("", ...checks);
  if (r.upgrade) {
    lines.push(
      "",
      `Upgrade from ${mdText(r.upgrade.from.ref)} (${mdText(r.upgrade.from.commit.slice(0, 12))}): **${r.upgrade.status}**${r.upgrade.reason ? `: ${mdText(r.upgrade.reason)}` : ""}`,
    );
    const upgradeChecks = checkTable(r.upgrade.checks);
    if (upgradeChecks.length) lines.push("", ...upgradeChecks);
  }
  if (r.warnings.length) lines.push("", `${r.warnings.length} Warning event(s) recorded.`);
  if (r.bundle) lines.push("", `Diagnostics bundle: ${mdText(r.bundle)}`);
  return `${lines.join("\n")}\n`;
}
