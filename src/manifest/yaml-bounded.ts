/**
 * YAML parsing whose cost is bounded before anything recursive runs: the lexer and the CST
 * parser (both iterative) are driven token by token, and the document is refused as soon as it
 * has more tokens than `maxTokens` or nests deeper than `maxDepth`, at the position where it
 * does. Only then does the (recursive) composer build the document, so neither it nor anything
 * downstream (toJS, the schema, the chart generator) can overflow the stack.
 */
import {
  Composer,
  type CST,
  type Document,
  Lexer,
  type LineCounter,
  type ParsedNode,
  Parser,
} from "yaml";
import { MANIFEST_MAX_BYTES } from "../io/read-input.js";

/** What a YAML input may cost. */
export interface YamlLimits {
  /** Size limit of the file, in bytes. */
  maxBytes: number;
  /** Deepest nesting of mappings and sequences. */
  maxDepth: number;
  /** Most lexical tokens (scalars, indicators, spaces, line breaks, comments). */
  maxTokens: number;
  /** Most aliases (`*name`) in the document. */
  maxAliases: number;
}

/**
 * Limits for a manifest. stack.yaml is 20 KiB, nests 12 levels and has about 3,700 tokens; 4 MiB
 * written the same way has about 725,000. The token limit lets such a document through and
 * stops a denser one (a blank line, a `[a, 1]` is a token per byte or two), so every document
 * that passes parses in about the time an ordinary 4 MiB manifest takes (bench/parse.bench.ts).
 */
export const MANIFEST_LIMITS: YamlLimits = {
  maxBytes: MANIFEST_MAX_BYTES,
  maxDepth: 64,
  maxTokens: 800_000,
  maxAliases: 100,
};

/** A limit exceeded at a character offset. */
export class LimitExceeded extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first document of `text` and where a second one starts, if any; throws LimitExceeded. */
export function composeBounded(
  text: string,
  lines: LineCounter,
  limits: YamlLimits,
): { doc: Document.Parsed<ParsedNode>; extraDocAt?: number } {
  const composer = new Composer({ uniqueKeys: false, strict: true });
  let doc: Document.Parsed<ParsedNode> | undefined;
  // The composer makes an Error per syntax error; their stack traces (never shown) would cost
  // a third of the time of a document that is one syntax error after another.
  const traces = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const next of composer.compose(boundedTokens(text, lines, limits), true, text.length)) {
      if (doc) return { doc, extraDocAt: next.range[0] };
      doc = next;
    }
  } finally {
    Error.stackTraceLimit = traces;
  }
  // compose(…, forceDoc) always ends with a document.
  return { doc: doc as Document.Parsed<ParsedNode> };
}

function* boundedTokens(
  text: string,
  lines: LineCounter,
  limits: YamlLimits,
): Generator<CST.Token> {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  let count = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > limits.maxTokens) {
      throw new LimitExceeded(
        parser.offset,
        `more than ${limits.maxTokens} YAML tokens (values, indicators, spaces, line breaks, comments) by here; refusing a document this large`,
      );
    }
    yield* parser.next(lexeme);
    // The stack holds the document, the open collections and at most one scalar.
    if (parser.stack.length > limits.maxDepth + 1) assertDepth(parser.stack, limits.maxDepth);
  }
  yield* parser.end();
}

function assertDepth(stack: readonly CST.Token[], maxDepth: number): void {
  const open = stack.filter(
    (t) => t.type === "block-map" || t.type === "block-seq" || t.type === "flow-collection",
  );
  const deepest = open[maxDepth];
  if (deepest) {
    throw new LimitExceeded(
      deepest.offset,
      `mappings and lists nest deeper than ${maxDepth} levels here; flatten the document`,
    );
  }
}
