/**
 * Reads a YAML input file strictly and in bounded time: the file goes through the one input
 * reader (regular files only, size limit on the bytes read, strict UTF-8 with the bad byte
 * located); the text is parsed with token and depth limits (yaml-bounded.ts); an empty
 * document, syntax errors, duplicate keys, too many aliases, alias cycles and alias bombs are
 * bad input with a position, never a stack trace. Shared by stack.yaml and any other YAML the tools read.
 */
import { LineCounter } from "yaml";
import { type Diagnostic, InputError } from "../errors.js";
import { readInputText } from "../io/read-input.js";
import { PositionedDocument } from "./positions.js";
import { composeBounded, LimitExceeded, MANIFEST_LIMITS, type YamlLimits } from "./yaml-bounded.js";
import { checkKeysAndAliases, type OffsetProblem } from "./yaml-checks.js";

/** A YAML file parsed with positions, plus its plain JavaScript value. */
export interface ParsedYaml {
  positioned: PositionedDocument;
  value: unknown;
  text: string;
}

/** How a YAML input is parsed. */
export interface ParseYamlOptions {
  /** An empty or comment-only document is the value null instead of an error (values files). */
  allowEmpty?: boolean;
  /** Size and shape limits; default MANIFEST_LIMITS. */
  limits?: YamlLimits;
}

/** YAML problems past this many are summarised: most follow from the first ones. */
const MAX_PROBLEMS = 100;

/** Parses `file` (shown in messages as `shown`) into a positioned document and its value. */
export async function parseYamlFile(
  file: string,
  shown = file,
  options: ParseYamlOptions = {},
): Promise<ParsedYaml> {
  const maxBytes = (options.limits ?? MANIFEST_LIMITS).maxBytes;
  return parseYamlText(await readInputText(file, { shown, maxBytes }), shown, options);
}

/** Parses YAML text; `shown` names it in diagnostics. */
export function parseYamlText(
  text: string,
  shown: string,
  options: ParseYamlOptions = {},
): ParsedYaml {
  const limits = options.limits ?? MANIFEST_LIMITS;
  const lines = new LineCounter();
  const problem = (offset: number, message: string): Diagnostic => ({
    position: { file: shown, ...lines.linePos(offset) },
    path: "",
    message,
  });
  let composed: ReturnType<typeof composeBounded>;
  try {
    composed = composeBounded(text, lines, limits);
  } catch (err) {
    if (!(err instanceof LimitExceeded)) throw err;
    throw new InputError(`failed to parse ${shown}: the document is too large or too deep`, [
      problem(err.offset, err.message),
    ]);
  }
  const { doc, extraDocAt } = composed;
  const positioned = new PositionedDocument(shown, doc, lines);
  const found: OffsetProblem[] = doc.errors.map((e) => ({
    offset: e.pos[0],
    message: firstLine(e.message),
  }));
  if (extraDocAt !== undefined) {
    found.push({ offset: extraDocAt, message: "a second YAML document starts here; keep one" });
  }
  // Aliases may not expand the document past what the token limit allows without them.
  found.push(
    ...checkKeysAndAliases(doc, { maxAliases: limits.maxAliases, maxExpanded: limits.maxTokens }),
  );
  if (found.length > 0) {
    found.sort((a, b) => a.offset - b.offset);
    const diagnostics = found.slice(0, MAX_PROBLEMS).map((p) => problem(p.offset, p.message));
    const rest = found[MAX_PROBLEMS];
    if (rest) {
      const more = `${found.length - MAX_PROBLEMS} more YAML problems from here on; fix the ones above first`;
      diagnostics.push(problem(rest.offset, more));
    }
    throw new InputError(`failed to parse ${shown}: invalid YAML`, diagnostics);
  }
  if (doc.contents === null) {
    if (options.allowEmpty) return { positioned, value: null, text };
    throw new InputError(`failed to load ${shown}: the file is empty`, [
      problem(0, "expected a YAML mapping, found no content"),
    ]);
  }
  return { positioned, value: toValue(doc, shown), text };
}

function toValue(doc: PositionedDocument["doc"], shown: string): unknown {
  try {
    // Aliases are bounded by checkKeysAndAliases; the package's own count walks the whole
    // document per nested alias.
    return doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(`failed to load ${shown}: ${why}`, [], { cause: err });
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0]?.trim() ?? s;
}
