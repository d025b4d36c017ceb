/**
 * The compatibility matrix as GitHub Markdown, for the README and the release notes: the
 * releases' verdicts per Kubernetes minor, then per release a table of the stack, each
 * component and the integration checks by Kubernetes version. Every state is a word (never a
 * colour or a symbol alone); every text from results goes through the project's Markdown
 * escapers, the ones the release notes use.
 */
import { mdCell, mdLink, mdText } from "../chart/escape/markdown.js";
import { tidy } from "../release/notes/render.js";
import {
  historyColumns,
  type MatrixCell,
  type MatrixData,
  type MatrixRelease,
  type MatrixRow,
} from "./matrix-model.js";
import { minorOf } from "./wording.js";

function row(cells: string[]): string {
  return `| ${cells.map((c) => mdCell(c)).join(" | ")} |`;
}

function header(cells: string[]): string[] {
  return [row(cells.map(mdText)), row(cells.map(() => "---"))];
}

/** A link relative to the matrix directory, under `base` when one is given. */
function href(base: string, rel: string): string {
  return base ? `${base.replace(/\/+$/, "")}/${rel}` : rel;
}

function cellText(c: MatrixCell, base: string): string {
  const verdict = c.state === "failing" ? `**${c.text}**` : mdText(c.text);
  const runs = c.runs.map((r) => {
    // A run that earned less than the cell (a cluster run that never got there beside a
    // passing control-plane run) says so, so no link reads as more than what ran.
    const label = r.state === c.state ? r.tier : `${r.tier}: ${r.state}`;
    const links = [mdLink(label, href(base, r.links.results))];
    if (r.links.bundle) links.push(mdLink("bundle", href(base, r.links.bundle)));
    return links.join(" ");
  });
  const stand = c.standIns.length > 0 ? " (stand-in)" : "";
  return `${verdict}${stand}${runs.length ? `: ${runs.join(", ")}` : ""}`;
}

function rowName(r: MatrixRow): string {
  if (r.kind === "stack") return `**${mdText(r.displayName)}** (whole stack)`;
  return `${mdText(r.displayName)}${r.enabled ? "" : " (disabled by default)"}`;
}

function releaseTable(name: string, rel: MatrixRelease, base: string): string[] {
  return [
    `### ${mdText(`${name} ${rel.version}`)}${rel.current ? " (this release)" : ""}`,
    "",
    ...header(["component", ...rel.kubernetes.map((v) => `Kubernetes ${v}`), "all versions"]),
    ...rel.rows.map((r) =>
      row([rowName(r), ...r.cells.map((c) => cellText(c, base)), mdText(r.overall.text)]),
    ),
  ];
}

function historyTable(data: MatrixData): string[] {
  const minors = historyColumns(data);
  return [
    ...header(["release", ...minors.map((m) => `Kubernetes ${m}`)]),
    ...data.releases.map((rel) => {
      const stack = rel.rows.find((r) => r.kind === "stack");
      const cells = minors.map((m) => {
        const c = stack?.cells.find((x) => minorOf(x.version) === m);
        if (!c) return "not supported";
        return c.state === "failing" ? `**${mdText(c.text)}**` : mdText(c.text);
      });
      return row([`${mdText(rel.version)}${rel.current ? " (this release)" : ""}`, ...cells]);
    }),
  ];
}

/** The Markdown of the matrix; links are relative to its directory, or under `base`. */
export function matrixMarkdown(data: MatrixData, base = ""): string {
  const lines = [
    `## ${mdText(data.name)} compatibility`,
    "",
    "Each cell: **passing** (every check passed), **partial** (ready, but a check was skipped or did not run, or a stand-in answered), **failing** or **untested**, at the highest tier that earned it (static < control-plane < service < cluster), with the latest run of each tier.",
    "",
    ...historyTable(data),
    "",
    ...data.releases.flatMap((rel) => [...releaseTable(data.name, rel, base), ""]),
  ];
  if (data.ignored.length > 0) {
    lines.push(
      "Results that count for no release:",
      "",
      ...data.ignored.map((i) => `- ${mdText(`${i.file}: ${i.why}`)}`),
    );
  }
  return tidy(lines.join("\n"));
}
