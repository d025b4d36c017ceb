/**
 * Escaping for YAML read by helm (go-yaml, YAML 1.1): scalars come from the yaml library,
 * never from string concatenation; what it leaves raw but go-yaml refuses (DEL, C1 controls,
 * U+FFFE/U+FFFF) or takes for line breaks (NEL, U+2028, U+2029) is escaped inside double
 * quotes; comments stay comments.
 */
import { type Document, isScalar, Scalar, stringify, visit } from "yaml";

/** YAML 1.1 quoting (what Go YAML parsers need); no line folding, so long strings stay diffable. */
const OPTIONS = { version: "1.1", lineWidth: 0 } as const;

/** Characters the yaml library writes raw that go-yaml refuses or reads as line breaks. */
const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;
const RAW_UNSAFE_ALL = new RegExp(RAW_UNSAFE.source, "g");

/** The double-quoted escape of a RAW_UNSAFE character (\N, \L, \P are YAML's line breaks). */
function escapeRaw(c: string): string {
  if (c === "\u0085") return "\\N";
  if (c === "\u2028") return "\\L";
  if (c === "\u2029") return "\\P";
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16)}`;
}

/**
 * The double-quoted YAML scalar of `text`, on one line: `"…"`. Written as YAML 1.2, whose
 * double-quoted escapes YAML 1.1 shares, because the 1.1 writer leaves `<<` bare.
 */
export function yamlDoubleQuoted(text: string): string {
  const quoted = stringify(text, {
    version: "1.2",
    lineWidth: 0,
    defaultStringType: Scalar.QUOTE_DOUBLE,
  });
  return quoted.trimEnd().replace(RAW_UNSAFE_ALL, escapeRaw);
}

/** The body of `yamlDoubleQuoted` without its quotes, for a string assembled in a template. */
export function yamlDoubleQuotedBody(text: string): string {
  return yamlDoubleQuoted(text).slice(1, -1);
}

/** A one-line YAML scalar: plain when the library writes it plain, else double-quoted. */
export function yamlInline(text: string): string {
  const plain = stringify(text, OPTIONS).trimEnd();
  const risky = plain.includes("\n") || plain === "<<" || RAW_UNSAFE.test(plain);
  return risky ? yamlDoubleQuoted(text) : plain;
}

/**
 * Comment text for the yaml library (which prefixes each line with `#`): every kind of line
 * break becomes a new comment line and other control characters are dropped, so no text can
 * leave the comment.
 */
export function yamlComment(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
      .split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
      .map((l) => l.replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, ""))
      .join("\n")
  );
}

/**
 * A document's text with every string scalar that holds a RAW_UNSAFE character written
 * double-quoted with that character escaped (the library would write it raw).
 */
export function yamlText(doc: Document, options: Parameters<Document["toString"]>[0] = {}) {
  let escaped = false;
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === "string" && RAW_UNSAFE.test(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        escaped = true;
      }
    },
  });
  const text = doc.toString({ ...options, lineWidth: 0 });
  // Only double-quoted scalars hold these now (comments go through yamlComment).
  return escaped ? text.replace(RAW_UNSAFE_ALL, escapeRaw) : text;
}
