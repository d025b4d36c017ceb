/**
 * Strict UTF-8 for input files: text that is not UTF-8 is refused at its first bad byte, with
 * the line and column an editor shows, for every shape the WHATWG fatal decoder rejects
 * (stray continuation bytes, overlong encodings, surrogates, code points past U+10FFFF,
 * truncated sequences), since `TextDecoder` itself says only that something is wrong.
 */
import { InputError } from "../errors.js";

/** Decodes `bytes` as UTF-8, dropping a leading BOM; `shown` names the file in the error. */
export function decodeUtf8(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (err) {
    const bad = firstInvalidUtf8(bytes) ?? { offset: 0, why: "the decoder refused it" };
    const prefix = Buffer.from(bytes.buffer, bytes.byteOffset, bad.offset).toString("utf8");
    const lineStart = prefix.lastIndexOf("\n") + 1;
    let line = 1;
    for (let i = prefix.indexOf("\n"); i !== -1; i = prefix.indexOf("\n", i + 1)) line++;
    // Columns count UTF-16 units after the BOM, the way the YAML positions do.
    const bom = lineStart === 0 && prefix.charCodeAt(0) === 0xfeff ? 1 : 0;
    const col = prefix.length - lineStart - bom + 1;
    const byte = (bytes[bad.offset] ?? 0).toString(16).padStart(2, "0");
    throw new InputError(
      `failed to read ${shown}: not UTF-8 text; save it as UTF-8`,
      [
        {
          position: { file: shown, line, col },
          path: "",
          message: `byte 0x${byte} at offset ${bad.offset} is not valid UTF-8: ${bad.why}`,
        },
      ],
      { cause: err },
    );
  }
}

/** Where the first ill-formed sequence starts and what is wrong with it. */
export interface InvalidUtf8 {
  offset: number;
  why: string;
}

/** The first ill-formed sequence (Unicode table 3-7, as WHATWG decodes), or undefined. */
export function firstInvalidUtf8(b: Uint8Array): InvalidUtf8 | undefined {
  for (let i = 0; i < b.length; ) {
    const lead = b[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const shape = leadShape(lead);
    if (typeof shape === "string") return { offset: i, why: shape };
    const [need, low, high] = shape;
    for (let k = 1; k <= need; k++) {
      const next = b[i + k];
      if (next === undefined) {
        return { offset: i, why: "the file ends inside a multi-byte character" };
      }
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next < min || next > max) {
        const continuation = next >= 0x80 && next <= 0xbf;
        return {
          offset: i,
          why: continuation ? outOfRange(lead) : "a multi-byte character cut short",
        };
      }
    }
    i += need + 1;
  }
  return undefined;
}

/** Continuation bytes a lead byte needs and the range of the first one; or why it is bad. */
function leadShape(lead: number): [number, number, number] | string {
  if (lead < 0xc0) return "a continuation byte without a lead byte";
  if (lead < 0xc2) return "an overlong encoding (0xc0 and 0xc1 never occur in UTF-8)";
  if (lead < 0xe0) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf];
  if (lead === 0xed) return [2, 0x80, 0x9f];
  if (lead < 0xf0) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead < 0xf4) return [3, 0x80, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f];
  return "a byte that never occurs in UTF-8 (it would encode past U+10FFFF)";
}

/** Why a lead byte's first continuation is out of its range. */
function outOfRange(lead: number): string {
  if (lead === 0xed) return "an encoded UTF-16 surrogate (U+D800 to U+DFFF)";
  if (lead === 0xf4) return "a code point past U+10FFFF";
  return "an overlong encoding";
}
