/**
 * Byte-wise mutations of a file: flip a bit, overwrite, insert or delete bytes, insert invalid
 * UTF-8 (every kind the reader locates), NUL, byte-order marks, CRLF line ends or a lone CR,
 * copy a chunk elsewhere, truncate. Positions are taken modulo the length, so every edit
 * applies to any input.
 */
import fc from "fast-check";

/** One byte-level edit. */
export type ByteEdit =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; byte: number }
  | { op: "insert"; at: number; bytes: number[] }
  | { op: "delete"; at: number; length: number }
  | { op: "invalid-utf8"; at: number; sequence: number }
  | { op: "nul"; at: number }
  | { op: "bom"; at: number; kind: number }
  | { op: "crlf" }
  | { op: "cr"; at: number }
  | { op: "copy"; at: number; length: number; to: number }
  | { op: "truncate"; at: number };

/** Ill-formed UTF-8: stray continuation, overlong, surrogates, past U+10FFFF, truncated, 0xFF. */
const INVALID_UTF8 = [
  [0x80],
  [0xbf, 0x80],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc3],
  [0xfe],
  [0xff],
];

/** UTF-8, UTF-16 LE and BE, UTF-32 LE byte-order marks. */
const BOMS = [
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0xff, 0xfe, 0x00, 0x00],
];

const at = fc.nat();

/** Edits of every kind. */
export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant("set" as const), at, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    op: fc.constant("insert" as const),
    at,
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ op: fc.constant("delete" as const), at, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant("invalid-utf8" as const),
    at,
    sequence: fc.integer({ min: 0, max: INVALID_UTF8.length - 1 }),
  }),
  fc.record({ op: fc.constant("nul" as const), at }),
  fc.record({
    op: fc.constant("bom" as const),
    at: fc.oneof(fc.constant(0), at),
    kind: fc.integer({ min: 0, max: BOMS.length - 1 }),
  }),
  fc.record({ op: fc.constant("crlf" as const) }),
  fc.record({ op: fc.constant("cr" as const), at }),
  fc.record({
    op: fc.constant("copy" as const),
    at,
    length: fc.integer({ min: 1, max: 400 }),
    to: at,
  }),
  fc.record({ op: fc.constant("truncate" as const), at }),
);

/** A few edits in a row. */
export const byteEdits: fc.Arbitrary<ByteEdit[]> = fc.array(byteEdit, {
  minLength: 1,
  maxLength: 4,
});

function splice(b: Buffer, at: number, remove: number, insert: number[] | Buffer = []): Buffer {
  return Buffer.concat([b.subarray(0, at), Buffer.from(insert), b.subarray(at + remove)]);
}

function apply(b: Buffer, e: ByteEdit): Buffer {
  if (e.op === "crlf") return Buffer.from(b.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
  const pos = e.at % (b.length + 1);
  const inside = b.length === 0 ? 0 : e.at % b.length;
  switch (e.op) {
    case "flip":
    case "set": {
      if (b.length === 0) return b;
      const out = Buffer.from(b);
      out[inside] = e.op === "flip" ? (out[inside] as number) ^ (1 << e.bit) : e.byte;
      return out;
    }
    case "insert":
      return splice(b, pos, 0, e.bytes);
    case "delete":
      return splice(b, pos, e.length);
    case "invalid-utf8":
      return splice(b, pos, 0, INVALID_UTF8[e.sequence]);
    case "nul":
      return splice(b, pos, 0, [0]);
    case "bom":
      return splice(b, pos, 0, BOMS[e.kind]);
    case "cr":
      return splice(b, pos, 0, [0x0d]);
    case "copy":
      return splice(b, e.to % (b.length + 1), 0, Buffer.from(b.subarray(pos, pos + e.length)));
    case "truncate":
      return b.subarray(0, pos);
  }
}

/** `bytes` with `list` applied in order. */
export function applyByteEdits(bytes: Buffer, list: readonly ByteEdit[]): Buffer {
  return list.reduce(apply, bytes);
}
