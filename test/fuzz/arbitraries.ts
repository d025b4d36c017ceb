/**
 * Hostile values for the structural mutations of stack.yaml: strings (names of Object.prototype
 * members, template delimiters, control characters, line breaks, very long, any code point),
 * numbers (huge, negative, NaN, and number-like text written unquoted), booleans, null, nested
 * and very wide maps and lists, and keys of the same kinds. Values are plain data, so
 * fast-check can print and shrink them; yaml-edits.ts turns them into YAML nodes.
 */
import fc from "fast-check";
import { NASTY } from "../support/nasty-strings.js";

/** A string and the YAML style to write it in (the library picks one when none). */
export interface Str {
  str: string;
  style?: "PLAIN" | "QUOTE_DOUBLE" | "QUOTE_SINGLE" | "BLOCK_LITERAL" | "BLOCK_FOLDED";
}

/** A value to write into the document. */
export type Val =
  | null
  | boolean
  | number
  | Str
  /** Text written as it is (unquoted): number-like scalars, tags, anchors, aliases, flow. */
  | { raw: string }
  | { map: [Key, Val][]; flow?: boolean }
  | { seq: Val[]; flow?: boolean }
  /** A map or list of `many` small entries (rules that compare entries pairwise). */
  | { many: number; of: "map" | "seq" };

/** A key to write: a string, unquoted text, or a collection (an explicit `? ` key). */
export type Key = Str | { raw: string } | { seq: Val[]; flow?: boolean };

/** Names a plain object inherits, and other names that are special in JavaScript or YAML. */
export const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
  "then",
  "length",
  "<<",
];

/** Text that parses as something other than a plain string when written unquoted. */
const RAW = [
  "1e999",
  "-1e999",
  ".nan",
  ".NaN",
  "-.inf",
  "-0",
  "0x1F",
  "0o777",
  "0b101",
  "1_000",
  "+12",
  "007",
  "12:30:00",
  "99999999999999999999999999",
  "-9007199254740993",
  "2026-01-01",
  "2026-01-01T00:00:00Z",
  "~",
  "null",
  "Null",
  "yes",
  "off",
  "true",
  "!!binary aGVsbG8=",
  "!!timestamp 2001-12-14",
  "!!int 0x1F",
  "!!float .inf",
  "!!str 1",
  "!!set {a, b}",
  "!!omap [a: 1, b: 2]",
  "!!map {}",
  "!!seq []",
  "!!null ''",
  "!custom x",
  "!<tag:example.org,2026:x> y",
  "&anchor x",
  "*anchor",
  "*undefined",
  "{a: 1, a: 2}",
  "[1, [2, [3]]]",
  "{}",
  "[]",
  "''",
  '""',
  "|",
  ">-",
  "- a",
  "? a",
  "%YAML 1.2",
  "--- x",
];

const longString = fc
  .tuple(fc.constantFrom("x", "é", "{{", "\n", "a b ", "😀"), fc.integer({ min: 300, max: 20_000 }))
  .map(([unit, n]) => unit.repeat(n));

/** Strings a manifest should never trust. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY, ...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        "\0",
        "\u0007",
        "\u001b",
        "\r",
        "\n",
        "\t",
        "\u0085",
        "\u2028",
        "\ufeff",
        "\ufffe",
        "\ud800",
        "a",
        " ",
        ":",
        "#",
        "{",
        "}",
      ),
      maxLength: 12,
    }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => `{{ ${s} }}`) },
  { weight: 1, arbitrary: longString },
);

const str: fc.Arbitrary<Str> = fc.record(
  {
    str: hostileString,
    style: fc.constantFrom(
      "PLAIN",
      "QUOTE_DOUBLE",
      "QUOTE_SINGLE",
      "BLOCK_LITERAL",
      "BLOCK_FOLDED",
    ),
  },
  { requiredKeys: ["str"] },
);

const raw = fc.record({ raw: fc.constantFrom(...RAW) });

const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -70_000, max: 70_000 }),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1,
    65_535,
    65_536,
    2 ** 53,
    -(2 ** 63),
    Number.MAX_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);

/** Keys: prototype names, dotted and empty names, any string, unquoted text, a list. */
export const key: fc.Arbitrary<Key> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES).map((s) => ({ str: s })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom("", "a.b", "a.b.c", ".", "..", "a/b", "-", " ", "A")
      .map((s) => ({ str: s })),
  },
  { weight: 3, arbitrary: str },
  { weight: 1, arbitrary: raw },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom<Val>(1, null, { str: "a" }), { maxLength: 2 })
      .map((seq) => ({ seq, flow: true })),
  },
);

/** Any value, nested a few levels. */
export const value: fc.Arbitrary<Val> = fc.letrec<{ val: Val }>((tie) => ({
  val: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: number },
    { weight: 8, arbitrary: str },
    { weight: 3, arbitrary: raw },
    {
      weight: 2,
      arbitrary: fc.record({
        map: fc.array(fc.tuple(key, tie("val")), { maxLength: 4 }),
        flow: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ seq: fc.array(tie("val"), { maxLength: 4 }), flow: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        many: fc.integer({ min: 100, max: 5000 }),
        of: fc.constantFrom<"map" | "seq">("map", "seq"),
      }),
    },
  ),
})).val;
