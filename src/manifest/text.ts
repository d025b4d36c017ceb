/**
 * Which characters a manifest string may hold, and how a value from the manifest is shown in
 * a message. Shared by the schema, the rules and the document check.
 */

/**
 * Characters no string in the manifest may hold: C0 controls other than tab, LF and CR, DEL,
 * C1 controls (NEL among them), the Unicode line and paragraph separators (YAML 1.1 readers
 * such as helm's treat them as line breaks, so a value would change on its way to a chart) and
 * U+FFFE/U+FFFF, which YAML readers refuse outright.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/u;

/** A UTF-16 surrogate without its partner: YAML escapes can produce one, no encoder writes it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `U+001B`: how a code point is named in messages. */
export function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why `text` cannot be written to a chart, or undefined when every character is fine. */
export function forbiddenCharacter(text: string): string | undefined {
  const bad = FORBIDDEN.exec(text)?.[0];
  if (bad === "\u2028" || bad === "\u2029") {
    return `contains ${codePoint(bad)}, which YAML 1.1 readers such as helm treat as a line break`;
  }
  if (bad !== undefined) return `contains the control character ${codePoint(bad)}`;
  const lone = LONE_SURROGATE.exec(text)?.[0];
  if (lone !== undefined) {
    return `contains a lone surrogate ${codePoint(lone)}, which is not Unicode text`;
  }
  return undefined;
}

/** Longest text shown in a message; manifests may hold megabytes in one string. */
const SHOWN_CHARS = 80;

/**
 * A manifest value as a message shows it: double-quoted with JSON escapes, so control
 * characters and line breaks are visible and cannot reach the terminal; long text is cut.
 */
export function quote(text: string): string {
  const cut = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 1)}…` : text;
  // JSON escapes C0 controls and lone surrogates; the rest of FORBIDDEN is escaped the same way.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
