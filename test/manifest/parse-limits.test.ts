/**
 * The bounds of YAML parsing, each refused at a position: nesting depth (before anything
 * recursive runs), token count, aliases (count, cycles, expansion), keys that are not scalars,
 * duplicate keys found in one pass, a second document, and the cap on how many problems are listed.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseYamlText } from "../../src/manifest/parse.js";
import { MANIFEST_LIMITS } from "../../src/manifest/yaml-bounded.js";
import { countTokens } from "../support/yaml-shapes.js";

/** The diagnostics of the InputError `text` gives, as `line:col: message`. */
function problems(text: string, limits = MANIFEST_LIMITS): string[] {
  try {
    parseYamlText(text, "f.yaml", { limits });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).diagnostics.map(
      (d) => `${d.position?.line}:${d.position?.col}: ${d.message}`,
    );
  }
  throw new Error("parsed without error");
}

/** Block mappings nested `depth` levels: `k1:` / `  k2:` / … / value 1. */
function nestedMaps(depth: number): string {
  const lines = Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}k${i + 1}:`);
  return `${lines.join("\n")} 1\n`;
}

describe("nesting depth", () => {
  it("accepts 64 levels and refuses the 65th where it opens, in block and flow style", () => {
    expect(parseYamlText(nestedMaps(64), "f.yaml").value).toBeTruthy();
    expect(problems(nestedMaps(65))).toEqual([
      "65:129: mappings and lists nest deeper than 64 levels here; flatten the document",
    ]);
    // The top-level mapping is the first level.
    const flow = `x: ${"[".repeat(63)}${"]".repeat(63)}\n`;
    expect(parseYamlText(flow, "f.yaml").value).toBeTruthy();
    expect(problems(`x: ${"[".repeat(70)}${"]".repeat(70)}\n`)).toEqual([
      "1:67: mappings and lists nest deeper than 64 levels here; flatten the document",
    ]);
  });

  it("refuses a compact sequence of sequences 10,000 deep instead of overflowing the stack", () => {
    expect(problems(`x:\n${"- ".repeat(10_000)}1\n`)[0]).toBe(
      "2:127: mappings and lists nest deeper than 64 levels here; flatten the document",
    );
  });
});

describe("token count", () => {
  it("refuses the document at the token past the limit", () => {
    const limits = { ...MANIFEST_LIMITS, maxTokens: 100 };
    const lines = Array.from({ length: 40 }, (_, i) => `k${i}: v\n`);
    // The line holding the 101st token, as the yaml lexer counts them.
    const over = lines.findIndex((_, i) => countTokens(lines.slice(0, i + 1).join("")) > 100);
    expect(problems(lines.join(""), limits)).toEqual([
      `${over + 1}:1: more than 100 YAML tokens (values, indicators, spaces, line breaks, comments) by here; refusing a document this large`,
    ]);
    expect(parseYamlText(lines.slice(0, over).join(""), "f.yaml", { limits }).value).toBeTruthy();
  });
});

describe("aliases", () => {
  it("refuses the alias past the limit", () => {
    const text = `a: &a 1\nb:\n${"  - *a\n".repeat(101)}`;
    expect(problems(text)).toEqual([
      "103:5: more than 100 aliases; refusing a document whose aliases could take long to expand",
    ]);
    expect(parseYamlText(`a: &a 1\nb:\n${"  - *a\n".repeat(100)}`, "f.yaml").value).toBeTruthy();
  });

  it("refuses an alias inside the node it names (a cycle) in both collection styles", () => {
    expect(problems("a: &a [1, *a]\n")).toEqual([
      "1:11: alias *a is inside the node it names, which makes a cycle",
    ]);
    expect(problems("a: &a\n  b:\n    c: *a\n")).toEqual([
      "3:8: alias *a is inside the node it names, which makes a cycle",
    ]);
  });

  it("refuses aliases that expand the document past the token limit, at the alias that does", () => {
    const limits = { ...MANIFEST_LIMITS, maxTokens: 2000 };
    // 303 values (the root, "a", the list and its 300 items), then 302 per `bN: *a`.
    const big = `a: &a [${Array(300).fill("x").join(", ")}]\n`;
    const uses = (n: number) => Array.from({ length: n }, (_, i) => `b${i + 1}: *a\n`).join("");
    expect(parseYamlText(`${big}${uses(5)}`, "f.yaml", { limits }).value).toBeTruthy();
    expect(problems(`${big}${uses(6)}`, limits)).toEqual([
      "7:5: aliases expand too much: with them expanded, the document holds more than 2000 values by here; refusing a document that could exhaust memory",
    ]);
  });

  it("resolves an alias to the latest anchor of its name", () => {
    const { value } = parseYamlText("a: &x 1\nb: &x [2]\nc: *x\n", "f.yaml");
    expect(value).toEqual({ a: 1, b: [2], c: [2] });
  });
});

describe("duplicate keys", () => {
  it("reports every repeat where it is, also among 20,000 keys and across quoting", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}\n`).join("");
    expect(problems(`${keys}k0: again\n"1": a\n1: b\n`)).toEqual([
      '20001:1: duplicate key "k0"',
      '20003:1: duplicate key "1"',
    ]);
    expect(problems("x: {a: 1, b: 2, a: 3}\n")).toEqual(['1:17: duplicate key "a"']);
  });

  it("refuses a list, a mapping, a tagged object or an alias as a key (once turned into text, with a warning on stderr)", () => {
    expect(problems("? [a, 1]\n: x\ny:\n  ? {b: 2}\n  : z\nn: &k name\n*k : other\n")).toEqual([
      "1:3: a list or mapping cannot be a key; write the key as text",
      "4:5: a list or mapping cannot be a key; write the key as text",
      "7:1: an alias (*k) cannot be a key; write the key as text",
    ]);
    expect(problems("!!timestamp 2001-12-14: x\n!!binary aGk=: y\n!!str 1: z\n1: w\n")).toEqual([
      "1:13: a !!timestamp value cannot be a key; write the key as text",
      "2:10: a !!binary value cannot be a key; write the key as text",
      '4:1: duplicate key "1"',
    ]);
  });
});

describe("documents and problems", () => {
  it("refuses a second document", () => {
    expect(problems("a: 1\n---\nb: 2\n")).toEqual([
      "2:1: a second YAML document starts here; keep one",
    ]);
  });

  it("lists at most 100 problems, then says how many more from where", () => {
    const text = Array.from({ length: 150 }, (_, i) => `k${i}: [\n`).join("");
    const found = problems(Array.from({ length: 150 }, () => "a: 1\n").join(""));
    expect(found).toHaveLength(101);
    expect(found[100]).toBe("102:1: 49 more YAML problems from here on; fix the ones above first");
    expect(problems(text).length).toBeLessThanOrEqual(101);
  });

  it("treats an empty or comment-only document as empty, or as null when allowed", () => {
    expect(problems("# only a comment\n\n")).toEqual([
      "1:1: expected a YAML mapping, found no content",
    ]);
    expect(parseYamlText("# values\n", "v.yaml", { allowEmpty: true }).value).toBeNull();
  });

  it("leaves stack traces on after a refused document", () => {
    const before = Error.stackTraceLimit;
    problems(nestedMaps(70));
    expect(Error.stackTraceLimit).toBe(before);
  });
});
