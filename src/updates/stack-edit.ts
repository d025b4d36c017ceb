/**
 * Edits stack.yaml in place, purely: `editStack(text, edits) → text`. Each edit replaces one
 * scalar, located through the parsed YAML document (its source range), and keeps the scalar's
 * quoting style; every other byte of the file (comments, key order, blank lines, flow lists,
 * folded text) stays as it was. The result is parsed again and must hold exactly the original
 * data with the edits applied, or the edit is refused.
 */
import { isDeepStrictEqual } from "node:util";
import { isScalar, parse, parseDocument, Scalar } from "yaml";
import { InputError } from "../errors.js";
import { type DocPath, formatPath } from "../manifest/positions.js";

/** Set the scalar at `path` to `value`. */
export interface StackEdit {
  path: DocPath;
  value: string;
}

/** What a plain scalar cannot start with, hold or end with (indicators, `: `, ` #`, controls). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a control character cannot be plain.
const PLAIN_UNSAFE = /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|[\u0000-\u001f]/u;

/** The scalar source for `value` in the style of the one it replaces. */
function scalarSource(value: string, type: Scalar["type"]): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  const plainReadsBack = value !== "" && !PLAIN_UNSAFE.test(value) && parse(value) === value;
  if (type === Scalar.PLAIN && plainReadsBack) return value;
  return JSON.stringify(value); // a valid YAML double-quoted scalar
}

/** Sets `value` at `path` in a plain object copy (for checking the result). */
function setIn(data: unknown, path: DocPath, value: string): void {
  let node = data as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
}

/** `text` with each edit applied; InputError when an edit cannot be made safely. */
export function editStack(text: string, edits: readonly StackEdit[], shown = "stack.yaml"): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const refuse = (p: DocPath, why: string) =>
    new InputError(`failed to edit ${shown}: ${formatPath(p)}: ${why}; edit it by hand`);
  const spans: { start: number; end: number; source: string }[] = [];
  for (const e of edits) {
    const node = doc.getIn(e.path, true);
    if (!isScalar(node) || !node.range) throw refuse(e.path, "not a scalar value in the file");
    if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) {
      throw refuse(e.path, "a block scalar");
    }
    if (node.anchor)
      throw refuse(e.path, `anchored as &${node.anchor}: its aliases would change too`);
    if (doc.getIn(e.path) === e.value) continue;
    spans.push({
      start: node.range[0],
      end: node.range[1],
      source: scalarSource(e.value, node.type),
    });
  }
  spans.sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.source + out.slice(s.end);
  const expected = doc.toJS();
  for (const e of edits) setIn(expected, e.path, e.value);
  if (!isDeepStrictEqual(parse(out), expected)) {
    throw new InputError(
      `failed to edit ${shown}: the edited file would not read back as intended; edit it by hand`,
    );
  }
  return out;
}
