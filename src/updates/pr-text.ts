/** The branch, title and body of a bump's pull request, from its plan (pure, deterministic). */
import type { BumpPlan } from "./plan-bump.js";

/** `shoppe/bump-<component>-<version>`: one branch per component and target. */
export function prBranch(b: BumpPlan): string {
  return `shoppe/bump-${b.component}-${b.to}`;
}

/** `Bump servicex chart servicex from 1.5.2 to 1.5.3`. */
export function prTitle(b: BumpPlan): string {
  return `Bump ${b.component} chart ${b.chart} from ${b.from} to ${b.to}`;
}

const code = (s: string) => `\`${s.replaceAll("`", "'")}\``;

/** Markdown: what changed in stack.yaml, what could not be derived, and how it was made. */
export function prBody(b: BumpPlan): string {
  const lines = [
    `Bumps **${b.component}** (${code(b.chart)}) from ${code(b.from)} to ${code(b.to)}.`,
    "",
    "| stack.yaml | from | to |",
    "|---|---|---|",
    `| chart version | ${code(b.from)} | ${code(b.to)} |`,
  ];
  if (b.appVersion)
    lines.push(`| appVersion | ${code(b.appVersion.from)} | ${code(b.appVersion.to)} |`);
  for (const i of b.images) {
    if (i.to !== undefined && i.to !== i.from)
      lines.push(`| image ${i.name} (${code(i.repository)}) | ${code(i.from)} | ${code(i.to)} |`);
  }
  for (const v of b.values) lines.push(`| ${code(v.where)} | | ${code(v.value)} |`);
  lines.push(
    "",
    `Image tags come from the new release's ${b.imagesFrom === "annotation" ? "`artifacthub.io/images` annotation" : b.imagesFrom === "values" ? "default values" : "metadata, which named none"}.`,
  );
  if (b.unknown.length) {
    lines.push("", "**Not derived, check by hand:**", "", ...b.unknown.map((u) => `- ${u}`));
  }
  if (b.newlyNamed.length) {
    lines.push(
      "",
      "**Images the new release names that the current one did not:**",
      "",
      ...b.newlyNamed.map((n) => `- ${code(n)}`),
    );
  }
  lines.push(
    "",
    "The umbrella chart is re-rendered in this commit (`shoppe render`). Opened by `shoppe bump --pr`.",
  );
  return `${lines.join("\n")}\n`;
}
