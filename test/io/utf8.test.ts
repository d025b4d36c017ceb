/**
 * Invalid UTF-8 is reported at the first byte of the first ill-formed sequence, with line and
 * column, for every shape the WHATWG fatal decoder rejects; and the locator agrees with that
 * decoder on every 1-, 2-, 3- and 4-byte sequence shape.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { decodeUtf8, firstInvalidUtf8 } from "../../src/io/utf8.js";

/** The diagnostic decodeUtf8 gives for `bytes`, as `line:col: message`. */
function located(bytes: number[]): string {
  try {
    decodeUtf8(Uint8Array.from(bytes), "f.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.message).toBe("failed to read f.yaml: not UTF-8 text; save it as UTF-8");
    const d = e.diagnostics[0];
    return `${d?.position?.line}:${d?.position?.col}: ${d?.message}`;
  }
  throw new Error("decoded without error");
}

const ascii = (s: string) => [...Buffer.from(s, "latin1")];
/** Two good lines, then `x: é ` (é is two bytes, one column), then the bad bytes. */
const before = [...ascii("a: 1\nb: 2\nx: "), 0xc3, 0xa9, 0x20];

describe("invalid UTF-8 is located at the bad sequence", () => {
  it.each([
    [
      "a stray continuation byte",
      [0x80],
      "0x80 at offset 16 is not valid UTF-8: a continuation byte without a lead byte",
    ],
    [
      "an overlong two-byte lead (C0)",
      [0xc0, 0xaf],
      "0xc0 at offset 16 is not valid UTF-8: an overlong encoding (0xc0 and 0xc1 never occur in UTF-8)",
    ],
    [
      "an overlong two-byte lead (C1)",
      [0xc1, 0xbf],
      "0xc1 at offset 16 is not valid UTF-8: an overlong encoding",
    ],
    [
      "an overlong three-byte sequence (E0 80..9F)",
      [0xe0, 0x9f, 0xbf],
      "0xe0 at offset 16 is not valid UTF-8: an overlong encoding",
    ],
    [
      "a high surrogate (ED A0..AF)",
      [0xed, 0xa0, 0x80],
      "0xed at offset 16 is not valid UTF-8: an encoded UTF-16 surrogate (U+D800 to U+DFFF)",
    ],
    [
      "a low surrogate (ED B0..BF)",
      [0xed, 0xbf, 0xbf],
      "0xed at offset 16 is not valid UTF-8: an encoded UTF-16 surrogate",
    ],
    [
      "an overlong four-byte sequence (F0 80..8F)",
      [0xf0, 0x8f, 0xbf, 0xbf],
      "0xf0 at offset 16 is not valid UTF-8: an overlong encoding",
    ],
    [
      "a code point past U+10FFFF (F4 90..)",
      [0xf4, 0x90, 0x80, 0x80],
      "0xf4 at offset 16 is not valid UTF-8: a code point past U+10FFFF",
    ],
    [
      "a lead byte past F4",
      [0xf5, 0x80, 0x80, 0x80],
      "0xf5 at offset 16 is not valid UTF-8: a byte that never occurs in UTF-8",
    ],
    ["0xFF", [0xff], "0xff at offset 16 is not valid UTF-8: a byte that never occurs in UTF-8"],
    [
      "a sequence cut short by ASCII",
      [0xe2, 0x82, 0x41],
      "0xe2 at offset 16 is not valid UTF-8: a multi-byte character cut short",
    ],
  ])("%s", (_name, bad, message) => {
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bad))).toThrow();
    expect(located([...before, ...bad, ...ascii("\ny: 3\n")])).toMatch(
      new RegExp(`^3:6: byte ${message.replace(/[()+.]/g, "\\$&")}`),
    );
  });

  it("a sequence cut short by the end of the file", () => {
    expect(located([...before, 0xf0, 0x9f, 0x98])).toBe(
      "3:6: byte 0xf0 at offset 16 is not valid UTF-8: the file ends inside a multi-byte character",
    );
  });

  it("counts columns after a byte order mark the way YAML positions do", () => {
    expect(located([0xef, 0xbb, 0xbf, ...ascii("ab"), 0xc0])).toMatch(
      /^1:3: byte 0xc0 at offset 5 /,
    );
  });

  it("accepts the boundary characters around every invalid range", () => {
    const good = [
      [0xc2, 0x80], // U+0080
      [0xe0, 0xa0, 0x80], // U+0800
      [0xed, 0x9f, 0xbf], // U+D7FF
      [0xee, 0x80, 0x80], // U+E000
      [0xef, 0xbf, 0xbf], // U+FFFF
      [0xf0, 0x90, 0x80, 0x80], // U+10000
      [0xf4, 0x8f, 0xbf, 0xbf], // U+10FFFF
    ];
    for (const bytes of good) {
      expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBeUndefined();
      expect(decodeUtf8(Uint8Array.from(bytes), "f")).toBe(Buffer.from(bytes).toString("utf8"));
    }
  });
});

describe("the locator agrees with the WHATWG decoder", () => {
  it("on every lead byte, followed by bytes at the edges of every range", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const lossy = new TextDecoder("utf-8");
    const seconds = [
      0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff,
    ];
    const tails = [0x41, 0x80, 0xbf, 0xc0];
    const bytes = new Uint8Array(5);
    bytes[0] = 0x61;
    let disagreements = 0;
    for (let a = 0; a < 256; a++) {
      for (const b of seconds) {
        for (const c of tails) {
          for (const d of tails) {
            bytes.set([a, b, c, d], 1);
            let valid = true;
            try {
              decoder.decode(bytes);
            } catch {
              valid = false;
            }
            const found = firstInvalidUtf8(bytes);
            // Where the lossy decoder puts its first U+FFFD is where the bad sequence starts.
            const text = lossy.decode(bytes);
            const expected = valid
              ? undefined
              : Buffer.byteLength(text.slice(0, text.indexOf("\ufffd")));
            if (found?.offset !== expected) disagreements++;
          }
        }
      }
    }
    expect(disagreements).toBe(0);
  });
});
