/**
 * A helm-docs–style values table generated from `# --` comments in a chart's values.yaml, so
 * the README table cannot drift from the values. Rules: a key whose comment starts with `--`
 * is documented; a documented map whose children carry no `# --` of their own is one row
 * (e.g. `resources`); an undocumented map is walked into; a leaf with no documented key on
 * its path is reported as undocumented.
 */
import { isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from "yaml";

/** One row of the table. */
export interface ValueRow {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** The table rows in file order, and the dotted keys that lack a `# --` comment. */
export interface ValuesDoc {
  rows: ValueRow[];
  undocumented: string[];
}

/** The `-- …` description in a comment block (its last `--` paragraph), or undefined. */
function description(comment: string | null | undefined): string | undefined {
  if (!comment) return undefined;
  const lines = comment.split("\n").map((l) => l.trim());
  const start = lines.findLastIndex((l) => l.startsWith("--"));
  if (start < 0) return undefined;
  const text: string[] = [lines[start]?.replace(/^--\s*/, "") ?? ""];
  for (const l of lines.slice(start + 1)) {
    if (l === "") break;
    text.push(l);
  }
  return text.join(" ").trim();
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "object") return "object";
  return "string";
}

function hasDocumentedDescendant(node: Node | null | undefined): boolean {
  if (!isMap(node)) return false;
  return node.items.some(
    (p) =>
      description((p.key as Node | null)?.commentBefore) !== undefined ||
      hasDocumentedDescendant(p.value as Node),
  );
}

function walk(
  map: YAMLMap,
  prefix: string,
  parentComment: string | undefined,
  out: ValuesDoc,
): void {
  map.items.forEach((pair, index) => {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const dotted = prefix ? `${prefix}.${key}` : key;
    const own =
      keyNode?.commentBefore ?? (index === 0 ? (map.commentBefore ?? parentComment) : undefined);
    const desc = description(own);
    const value = pair.value as Node | null;
    if (desc !== undefined && !hasDocumentedDescendant(value)) {
      const js = value && "toJSON" in value ? value.toJSON() : null;
      out.rows.push({
        key: dotted,
        type: typeOf(js),
        default: JSON.stringify(js),
        description: desc,
      });
      return;
    }
    if (isMap(value) && value.items.length > 0) {
      walk(value, dotted, undefined, out);
      return;
    }
    if (!isSeq(value) || desc === undefined) out.undocumented.push(dotted);
  });
}

/** Documents every value of a values.yaml text. */
export function documentValues(valuesYaml: string): ValuesDoc {
  const doc = parseDocument(valuesYaml);
  const out: ValuesDoc = { rows: [], undocumented: [] };
  if (!isMap(doc.contents)) return out;
  walk(doc.contents, "", doc.commentBefore ?? undefined, out);
  return out;
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The markdown table for `rows`. */
export function renderValuesTable(rows: readonly ValueRow[]): string {
  const lines = ["| Key | Type | Default | Description |", "|---|---|---|---|"];
  for (const r of rows) {
    lines.push(
      `| \`${cell(r.key)}\` | ${r.type} | \`${cell(r.default)}\` | ${cell(r.description)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Markers around the generated table in a chart README. */
export const TABLE_START = "<!-- values-table:start (generated from values.yaml; do not edit) -->";
export const TABLE_END = "<!-- values-table:end -->";

/** `readme` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function spliceTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`README lacks the ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}${readme.slice(end)}`;
}
