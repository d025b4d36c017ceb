/**
 * The document-as-data check: prototype and merge keys, characters a chart cannot carry,
 * values that are not plain JSON data.
 */
import { describe, expect, it } from "vitest";
import { dataProblems } from "../../src/manifest/data-check.js";
import { parseYamlText } from "../../src/manifest/parse.js";

function problems(text: string): string[] {
  const { positioned, value } = parseYamlText(text, "s.yaml");
  return dataProblems(value, positioned).map(
    (d) => `${d.position?.line}:${d.position?.col}: ${d.path}: ${d.message}`,
  );
}

describe("dataProblems", () => {
  it("accepts keys named like Object.prototype members other than __proto__", () => {
    expect(problems("constructor: {toString: 1, valueOf: [hasOwnProperty]}\n")).toEqual([]);
  });

  it("refuses __proto__ and << keys at the key, wherever they are", () => {
    expect(problems('a:\n  - b:\n      __proto__: 1\n  - "<<": {x: 1}\n')).toEqual([
      "3:7: a[0].b.__proto__: \"__proto__\" cannot be a key: JavaScript readers of this file (this tool, editors' schema checks) take it for the object's prototype and drop it; rename it",
      '4:5: a[1].<<: "<<" cannot be a key: YAML 1.1 readers such as helm take it for a merge of the mapping below it; rename it or write the merged keys out',
    ]);
  });

  it("refuses control characters, YAML 1.1 line breaks and lone surrogates in keys and values", () => {
    expect(problems('a: "x\\ty\\nz\\r"\n"k\\x07": 1\nb: "\\u0085"\nc: "\\ud800"\n')).toEqual([
      '2:1: k\u0007: the key "k\\u0007" contains the control character U+0007',
      '3:4: b: "\\u0085" contains the control character U+0085',
      '4:4: c: "\\ud800" contains a lone surrogate U+D800, which is not Unicode text',
    ]);
  });

  it("refuses what helm cannot load or the chart would write back as something else: NaN, infinities, YAML 1.1 tags", () => {
    const text =
      "a: .nan\nb: [1e999, -.inf]\nc: !!binary aGVsbG8=\nd: !!timestamp 2001-12-14\ne: !!set {x}\nf: !!omap [x: 1]\ng: !!str 1\nh: 1e308\n";
    const tagged = (tag: string) =>
      `a ${tag} value is not plain data (text, a number, true/false, null, a list or a mapping); remove the tag, and quote the value if it should be text`;
    const helm =
      "is not a number helm can load (it converts values to JSON, which has no NaN or infinity); write a finite number, or quote it as text";
    expect(problems(text)).toEqual([
      `1:4: a: NaN ${helm}`,
      `2:5: b[0]: Infinity ${helm}`,
      `2:12: b[1]: -Infinity ${helm}`,
      `3:13: c: ${tagged("!!binary")}`,
      `4:16: d: ${tagged("!!timestamp")}`,
      `5:10: e: ${tagged("!!set")}`,
      `6:11: f: ${tagged("!!omap")}`,
    ]);
  });

  it("stops after 50 findings", () => {
    const text = Array.from({ length: 500 }, (_, i) => `k${i}: "\\0"`).join("\n");
    expect(problems(text)).toHaveLength(50);
  });
});
