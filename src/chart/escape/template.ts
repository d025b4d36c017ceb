/**
 * Escaping for Go templates (Helm's NOTES.txt, _helpers.tpl, templates/*.yaml): text from
 * stack.yaml never becomes template syntax. Outside an action it is written as is only when
 * it holds no brace; otherwise it is printed by an action from a Go string literal. Comments
 * cannot be closed early.
 */

/** A Go interpreted string literal ("…") holding `text` exactly, on one line. */
export function goString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    // C1 controls, line separators and lone surrogates (Go rejects \ud800: U+FFFD instead).
    else if (code <= 0x9f && code >= 0x80) out += `\\u00${code.toString(16)}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd";
    else out += ch;
  }
  return `${out}"`;
}

/**
 * `text` as literal template text: unchanged when it has no brace (a lone `{` or `}` could
 * join a delimiter next to it), else `{{ "…" }}`, which prints it verbatim.
 */
export function templateText(text: string): string {
  return /[{}]/.test(text) ? `{{ ${goString(text)} }}` : text;
}

/** A template comment `{{- /* … *\/}}`; a `*\/` in the text cannot end it early. */
export function templateComment(text: string): string {
  return `{{- /* ${text.replaceAll("*/", "* /")} */}}`;
}

/** The template actions that print the placeholders of endpoint URLs. */
const PLACEHOLDERS: ReadonlyMap<string, string> = new Map([
  ["{release}", "{{ .Release.Name }}"],
  ["{namespace}", "{{ .Release.Namespace }}"],
]);

/**
 * Text with `{release}`/`{namespace}` as template actions; the text between them goes
 * through `literal` (by default templateText; a YAML string escapes for YAML first).
 */
export function withPlaceholders(
  text: string,
  literal: (part: string) => string = templateText,
): string {
  return text
    .split(/(\{release\}|\{namespace\})/)
    .map((part, i) => (i % 2 === 1 ? (PLACEHOLDERS.get(part) as string) : literal(part)))
    .join("");
}
