/**
 * Reads a YAML input file strictly: a missing file, a directory, bytes that are not UTF-8,
 * an empty document, syntax errors, duplicate keys and alias bombs are all bad input with a
 * position, never a stack trace. Shared by stack.yaml and any other YAML the tools read.
 */
import { readFile, stat } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { type Diagnostic, InputError } from "../errors.js";
import { PositionedDocument } from "./positions.js";

/** A YAML file parsed with positions, plus its plain JavaScript value. */
export interface ParsedYaml {
  positioned: PositionedDocument;
  value: unknown;
  text: string;
}

/** Aliases expanded past this count indicate a "billion laughs" document. */
const MAX_ALIAS_COUNT = 100;
/** Larger inputs are not manifests; refuse before parsing. */
const MAX_BYTES = 4 * 1024 * 1024;

async function readBytes(file: string, shown: string): Promise<Buffer> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code);
    throw new InputError(`failed to read ${shown}: ${why}`, [], { cause: err });
  }
  if (info.isDirectory())
    throw new InputError(`failed to read ${shown}: it is a directory, not a file`);
  if (info.size > MAX_BYTES) {
    throw new InputError(
      `failed to read ${shown}: ${info.size} bytes is larger than the ${MAX_BYTES}-byte limit`,
    );
  }
  return readFile(file);
}

function decodeUtf8(bytes: Buffer, shown: string): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    const before = bytes.subarray(0, bad).toString("utf8");
    const line = before.split("\n").length;
    const col = before.length - before.lastIndexOf("\n");
    const byte = bytes[bad]?.toString(16).padStart(2, "0");
    throw new InputError(`failed to read ${shown}: not UTF-8 text`, [
      {
        position: { file: shown, line, col },
        path: "",
        message: `byte 0x${byte} at offset ${bad} is not valid UTF-8`,
      },
    ]);
  }
}

/** Offset of the first byte that does not start or continue a UTF-8 sequence; -1 if none. */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    const n =
      c < 0x80
        ? 1
        : c >= 0xc2 && c <= 0xdf
          ? 2
          : c >= 0xe0 && c <= 0xef
            ? 3
            : c >= 0xf0 && c <= 0xf4
              ? 4
              : 0;
    if (n === 0) return i;
    for (let k = 1; k < n; k++)
      if (i + k >= b.length || ((b[i + k] as number) & 0xc0) !== 0x80) return i;
    i += n;
  }
  return -1;
}

/** Parses `file` (shown in messages as `shown`) into a positioned document and its value. */
export async function parseYamlFile(file: string, shown = file): Promise<ParsedYaml> {
  const text = decodeUtf8(await readBytes(file, shown), shown);
  return parseYamlText(text, shown);
}

/** Parses YAML text; `shown` names it in diagnostics. */
export function parseYamlText(text: string, shown: string): ParsedYaml {
  if (text.replace(/^\s*#.*$/gm, "").trim() === "") {
    throw new InputError(`failed to load ${shown}: the file is empty`, [
      {
        position: { file: shown, line: 1, col: 1 },
        path: "",
        message: "expected a YAML mapping, found no content",
      },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const positioned = new PositionedDocument(shown, doc, lines);
  const problems: Diagnostic[] = doc.errors.map((e) => ({
    position: positioned.at(e.pos[0]),
    path: "",
    message:
      e.code === "DUPLICATE_KEY"
        ? `duplicate key "${keyAt(text, e.pos[0])}"`
        : firstLine(e.message),
  }));
  if (problems.length > 0) throw new InputError(`failed to parse ${shown}: invalid YAML`, problems);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new InputError(
      `failed to load ${shown}: aliases expand too much (more than ${MAX_ALIAS_COUNT} alias uses); refusing a document that could exhaust memory`,
      [],
      { cause: err },
    );
  }
  return { positioned, value, text };
}

/** The mapping key written at `offset` (yaml reports only where a duplicate key starts). */
function keyAt(text: string, offset: number): string {
  const raw = /^[^:\n]*/.exec(text.slice(offset))?.[0] ?? "";
  return raw.trim().replace(/^(["'])(.*)\1$/, "$2");
}

function firstLine(s: string): string {
  return s.split("\n")[0]?.trim() ?? s;
}
