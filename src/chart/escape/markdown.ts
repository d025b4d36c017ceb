/**
 * Escaping for the README (GitHub-flavoured Markdown): plain text, inline code, links and
 * table cells. Text from stack.yaml is escaped where it is inserted; a cell is then made one
 * line with its pipes escaped.
 */

/** Characters with a meaning inside a Markdown paragraph or cell. */
const SPECIAL = /[\\`*_[\]<>&~|!#]/g;

/** Any line break Markdown or a browser might honour. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Plain text as Markdown that renders as that text (one line). */
export function mdText(text: string): string {
  return text.replace(LINE_BREAK, " ").replace(SPECIAL, (c) => `\\${c}`);
}

/** A paragraph of plain text; a leading `1.` or `-` cannot start a list. */
export function mdParagraph(text: string): string {
  return mdText(text)
    .replace(/^(\s*)(\d+)([.)])/, "$1$2\\$3")
    .replace(/^(\s*)([-+=])/, "$1\\$2");
}

function htmlEscape(text: string): string {
  return text.replace(/[&<>"|]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Inline code showing `text` exactly: a backtick fence longer than any run of backticks in
 * it. Text with a pipe is written as HTML `<code>` with entities, because a backslash before
 * an escaped pipe would end a table cell inside a code span.
 */
export function mdCode(text: string): string {
  const flat = text.replace(LINE_BREAK, " ");
  if (flat.includes("|")) return `<code>${htmlEscape(flat)}</code>`;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .* $/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A URL as a link destination: characters that could end it or break a cell are encoded. */
function mdUrl(url: string): string {
  // encodeURI throws on a lone surrogate; U+FFFD stands in for it.
  const wellFormed = url.replace(LINE_BREAK, "").replace(LONE_SURROGATE, "\ufffd");
  return encodeURI(wellFormed).replace(
    /[()[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A link `[text](url)` whose text and destination are both escaped. */
export function mdLink(text: string, url: string): string {
  return `[${mdText(text)}](${mdUrl(url)})`;
}

/**
 * A table cell from Markdown: one line, and every pipe not already escaped escaped (a pipe
 * after an even number of backslashes would end the cell).
 */
export function mdCell(markdown: string): string {
  return markdown.replace(LINE_BREAK, " ").replace(/(?<!\\)((?:\\\\)*)\|/g, "$1\\|");
}
