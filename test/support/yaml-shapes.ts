/**
 * Hostile YAML shapes of a given size, for the parse-bound tests and the parse benchmark: each
 * is a class of input that once took super-linear time (or overflowed the stack), next to an
 * ordinary manifest of the same size as the linear baseline.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Lexer } from "yaml";

const HEAD = "apiVersion: shoppe.coffea-casa.io/v1alpha1\n";
const STACK = path.resolve(import.meta.dirname, "../../stack.yaml");

/** `head`, then `unit(0)`, `unit(1)`, … while the text stays within `bytes`, then `tail`. */
function repeat(bytes: number, unit: (i: number) => string, head = HEAD, tail = ""): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (size + u.length > bytes) break;
    parts.push(u);
    size += u.length;
  }
  parts.push(tail);
  return parts.join("");
}

/** The default stack.yaml with its components repeated (renamed) up to `bytes`. */
export function ordinaryManifest(bytes: number): string {
  const stack = readFileSync(STACK, "utf8");
  const start = stack.indexOf("components:\n") + "components:\n".length;
  const body = stack.slice(start, stack.indexOf("\nprofiles:"));
  return repeat(
    bytes,
    (i) => `${body.replace(/^ {2}([a-z-]+):$/gm, `  $1-${i}:`)}\n`,
    stack.slice(0, start),
  );
}

/** Each hostile shape: bytes → a document of about that size. */
export const SHAPES: Record<string, (bytes: number) => string> = {
  /** One mapping with a key per line (the duplicate-key check compared every pair). */
  "many keys": (b) => repeat(b, (i) => `  k${i}: ${i}\n`, `${HEAD}x:\n`),
  /** A distinct anchor on every item, each aliased once until the alias cap. */
  "many anchors": (b) =>
    repeat(
      b,
      (i) => (i < 100 ? `  - &a${i} ${i}\n  - *a${i}\n` : `  - &a${i} ${i}\n`),
      `${HEAD}x:\n`,
    ),
  /** An anchor with aliases inside another anchored list, within the alias cap. */
  "nested aliases": (b) =>
    `${repeat(b - 1000, (i) => `  - &p${i} ${i}\n`, `${HEAD}x:\n  - &a 1\n`)}  - &b [${Array(98).fill("*a").join(", ")}]\n  - *b\n`,
  /** One long run of blank lines. */
  "blank lines": (b) => `${HEAD}x:\n${"\n".repeat(b - HEAD.length - 12)}  y: 1\n`,
  /** A comment on every line. */
  comments: (b) => repeat(b, (i) => `# comment ${i}\n`),
  /** One long plain scalar, one long double-quoted scalar. */
  "long scalars": (b) => `${HEAD}x: ${"a".repeat(b / 2 - 60)}\ny: "${"b ".repeat(b / 4 - 30)}"\n`,
  /** A small flow sequence per line. */
  "small sequences": (b) => repeat(b, (i) => `  - [a, ${i}]\n`, `${HEAD}x:\n`),
  /** Mappings nested to the depth limit (64: the document, x, t<i>, k0 … k60), side by side. */
  "deep nesting": (b) => {
    const tree = Array.from({ length: 62 }, (_, d) => `${"  ".repeat(d + 1)}k${d}:\n`).join("");
    return repeat(b, (i) => `  t${i}:\n${tree.replace(/^ {2}/gm, "    ")}`, `${HEAD}x:\n`);
  },
};

/** How many YAML tokens `text` has. */
export function countTokens(text: string): number {
  let n = 0;
  for (const _ of new Lexer().lex(text)) n++;
  return n;
}

/**
 * The shape as large as the limits let it be parsed in full: `maxBytes`, or just under
 * `maxTokens` tokens for a shape denser than that (a larger one is refused at the token limit
 * without being composed, so this is the most work a document can cause).
 */
export function largestAccepted(shape: string, maxBytes: number, maxTokens: number): string {
  const make = SHAPES[shape];
  if (!make) throw new Error(`unknown shape ${shape}`);
  const sample = make(64 * 1024);
  const perByte = countTokens(sample) / sample.length;
  return make(Math.min(maxBytes, Math.floor((maxTokens / perByte) * 0.95)));
}
