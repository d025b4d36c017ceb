/**
 * The compatibility matrix as one static, accessible HTML page for GitHub Pages: real
 * `<table>`s with a caption and `<th scope>` headers, each state written out in words (the
 * colour only repeats it), every run linked to its published results, summary and bundle.
 * No script, no external resource; every text is escaped here.
 */
import {
  historyColumns,
  type MatrixCell,
  type MatrixData,
  type MatrixRelease,
  type MatrixRow,
} from "./matrix-model.js";
import { minorOf } from "./wording.js";

/** Text as HTML (element content and double-quoted attribute values). */
export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** A relative path as a link: each segment percent-encoded. */
function href(rel: string): string {
  return esc(rel.split("/").map(encodeURIComponent).join("/"));
}

/** An id for `release`'s section (letters, digits, dots and dashes only). */
function sectionId(version: string): string {
  return `release-${version.replace(/[^\w.-]/g, "-")}`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff;line-height:1.4}
table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #8a8a8a;padding:.4rem .6rem;vertical-align:top;text-align:left}
thead th{background:#eef}
.passing{background:#d7f5d7}.partial{background:#fff2b3}.failing{background:#ffd6d6}.untested{background:#eee}
.verdict{font-weight:600}.failing .verdict{text-decoration:underline}
ul{margin:.25rem 0;padding-left:1.1rem}a{color:#0645ad}
.why{font-size:.9em}`;

function runsList(c: MatrixCell): string {
  if (c.runs.length === 0) return "";
  const items = c.runs.map((r) => {
    const links = [`<a href="${href(r.links.results)}">results</a>`];
    if (r.links.summary) links.push(`<a href="${href(r.links.summary)}">summary</a>`);
    if (r.links.bundle) links.push(`<a href="${href(r.links.bundle)}">diagnostics bundle</a>`);
    return `<li>${esc(r.tier)}, ${esc(r.provider)}: ${esc(r.state)} (${links.join(", ")})</li>`;
  });
  return `<ul>${items.join("")}</ul>`;
}

function why(c: MatrixCell): string {
  const list = [
    ...c.standIns.map((s) => `stand-in: ${s}`),
    ...c.reasons.filter((r) => !c.standIns.includes(r)),
  ];
  if (list.length === 0 || c.state === "passing") return "";
  return `<ul class="why">${list
    .slice(0, 5)
    .map((r) => `<li>${esc(r)}</li>`)
    .join("")}</ul>`;
}

function td(c: MatrixCell): string {
  const stand = c.standIns.length > 0 ? " (stand-in)" : "";
  return `<td class="${c.state}"><span class="verdict">${esc(c.text)}${stand}</span>${why(c)}${runsList(c)}</td>`;
}

function rowHead(r: MatrixRow): string {
  const note = r.kind === "stack" ? " (whole stack)" : r.enabled ? "" : " (disabled by default)";
  return `<th scope="row">${esc(r.displayName)}${note}</th>`;
}

function releaseSection(name: string, rel: MatrixRelease): string {
  const title = `${name} ${rel.version}${rel.current ? " (this release)" : ""}`;
  const heads = rel.kubernetes.map((v) => `<th scope="col">Kubernetes ${esc(v)}</th>`).join("");
  const rows = rel.rows.map(
    (r) =>
      `<tr>${rowHead(r)}${r.cells.map(td).join("")}<td class="${r.overall.state}"><span class="verdict">${esc(r.overall.text)}</span></td></tr>`,
  );
  return `<section aria-labelledby="${sectionId(rel.version)}">
<h2 id="${sectionId(rel.version)}">${esc(title)}</h2>
<p>stack.yaml <code>${esc(rel.digest)}</code></p>
<table>
<caption>${esc(name)} ${esc(rel.version)}: components by Kubernetes version</caption>
<thead><tr><th scope="col">Component</th>${heads}<th scope="col">All versions</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
}

function historyTable(data: MatrixData): string {
  const minors = historyColumns(data);
  const rows = data.releases.map((rel) => {
    const stack = rel.rows.find((r) => r.kind === "stack");
    const cells = minors.map((m) => {
      const c = stack?.cells.find((x) => minorOf(x.version) === m);
      return c
        ? `<td class="${c.state}"><span class="verdict">${esc(c.text)}</span></td>`
        : `<td>not supported</td>`;
    });
    const name = `${rel.version}${rel.current ? " (this release)" : ""}`;
    return `<tr><th scope="row"><a href="#${sectionId(rel.version)}">${esc(name)}</a></th>${cells.join("")}</tr>`;
  });
  const heads = minors.map((m) => `<th scope="col">Kubernetes ${esc(m)}</th>`).join("");
  return `<table>
<caption>Every release of ${esc(data.name)}: the whole stack by Kubernetes minor</caption>
<thead><tr><th scope="col">Release</th>${heads}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`;
}

function ignoredList(data: MatrixData): string {
  if (data.ignored.length === 0) return "";
  const items = data.ignored.map((i) => `<li><code>${esc(i.file)}</code>: ${esc(i.why)}</li>`);
  return `<h2>Results that count for no release</h2>\n<ul>${items.join("")}</ul>`;
}

/** The page. */
export function matrixHtml(data: MatrixData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.name)} compatibility matrix</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${esc(data.name)} compatibility matrix</h1>
<p>Each cell says, in words, <strong>passing</strong> (ready and every check passed), <strong>partial</strong> (ready, but a check was skipped or did not run, or a stand-in answered), <strong>failing</strong> or <strong>untested</strong>, at the highest tier that earned it (static &lt; control-plane &lt; service &lt; cluster), then the latest run of each tier with its results. Only runs of a release's own chart version and stack.yaml count.</p>
${historyTable(data)}
${data.releases.map((r) => releaseSection(data.name, r)).join("\n")}
${ignoredList(data)}
</main>
</body>
</html>
`;
}
