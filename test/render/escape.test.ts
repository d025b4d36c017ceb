/**
 * The escapers, one per target, with the nastiest strings: the output is one line, keeps to
 * its syntax and reads back as the input (YAML through the yaml library in both versions;
 * shell words through a real /bin/sh). Go templates and go-yaml are checked with the real
 * helm in hostile-text.test.ts.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Document, parse } from "yaml";
import { mdCell, mdCode, mdLink, mdParagraph, mdText } from "../../src/chart/escape/markdown.js";
import { shellWord } from "../../src/chart/escape/shell.js";
import {
  goString,
  templateComment,
  templateText,
  withPlaceholders,
} from "../../src/chart/escape/template.js";
import {
  yamlComment,
  yamlDoubleQuoted,
  yamlInline,
  yamlText,
} from "../../src/chart/escape/yaml.js";
import { InputError } from "../../src/errors.js";
import { NASTY } from "../support/nasty-strings.js";

/** Line breaks of every kind a reader might honour. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const ANY_LINE_BREAK = /[\n\r\u000b\u000c\u0085\u2028\u2029]/;

describe("Go template escaping", () => {
  it.each(NASTY)("writes %j as one-line Go string literal", (s) => {
    const lit = goString(s);
    expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
    expect(lit).not.toMatch(ANY_LINE_BREAK);
    // No unescaped quote inside: every `"` is preceded by an odd run of backslashes.
    expect(lit.slice(1, -1).replace(/\\./g, "")).not.toContain('"');
  });

  it.each(NASTY)("keeps %j from becoming template syntax", (s) => {
    const text = templateText(s);
    if (!/[{}]/.test(s)) expect(text).toBe(s);
    else expect(text).toBe(`{{ ${goString(s)} }}`);
  });

  it("cannot be closed early as a comment", () => {
    for (const s of NASTY.filter((n) => !ANY_LINE_BREAK.test(n))) {
      const comment = templateComment(s);
      expect(comment.startsWith("{{- /* ")).toBe(true);
      expect(comment.indexOf("*/")).toBe(comment.length - 4);
    }
  });

  it("prints placeholders as actions and the text between them escaped", () => {
    expect(withPlaceholders("http://{release}-a.{namespace}.svc:80")).toBe(
      "http://{{ .Release.Name }}-a.{{ .Release.Namespace }}.svc:80",
    );
    expect(withPlaceholders("{x}{namespace}")).toBe('{{ "{x}" }}{{ .Release.Namespace }}');
  });
});

describe("YAML escaping", () => {
  it.each(NASTY)("double-quotes %j on one line, read back the same in YAML 1.1 and 1.2", (s) => {
    const quoted = yamlDoubleQuoted(s);
    expect(quoted).not.toMatch(ANY_LINE_BREAK);
    expect(parse(`k: ${quoted}`, { version: "1.1" }).k).toBe(s);
    expect(parse(`k: ${quoted}`).k).toBe(s);
  });

  it.each(NASTY)("writes %j inline as a scalar that reads back the same", (s) => {
    const inline = yamlInline(s);
    expect(inline).not.toMatch(ANY_LINE_BREAK);
    expect(parse(`k: ${inline}`, { version: "1.1" }).k).toBe(s);
  });

  it("keeps comments comments, whatever line breaks their text holds", () => {
    const doc = new Document({ a: 1 }, { version: "1.1" });
    doc.commentBefore = NASTY.map(yamlComment).join("\n");
    const text = yamlText(doc);
    expect(parse(text, { version: "1.1" })).toEqual({ a: 1 });
    const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/);
    expect(lines.filter((l) => l !== "" && !l.startsWith("#") && l !== "a: 1")).toEqual([]);
  });

  it("writes documents whose keys and values hold anything, read back the same", () => {
    const data = Object.fromEntries(NASTY.map((s, i) => [s === "<<" ? "merge" : s, [s, i]]));
    const text = yamlText(new Document(data, { version: "1.1" }));
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufffe\uffff]/);
    expect(parse(text, { version: "1.1" })).toEqual(data);
  });
});

describe("Markdown escaping", () => {
  /** Cells of a table row, split at unescaped pipes as GitHub does. */
  function cells(row: string): string[] {
    return row.split(/(?<!\\)(?:\\\\)*\|/).slice(1, -1);
  }

  it.each(NASTY)("keeps %j inside its table cell and on one line", (s) => {
    for (const md of [mdText(s), mdCode(s), mdLink(s, `https://example.org/${s}`)]) {
      const row = `| ${mdCell(md)} | next |`;
      expect(row).not.toMatch(ANY_LINE_BREAK);
      expect(cells(row)).toHaveLength(2);
    }
  });

  it("escapes everything that would format, link or open HTML", () => {
    expect(mdText("*a* _b_ [c](d) <e> `f` & ~g~ #h !i \\")).toBe(
      "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\& \\~g\\~ \\#h \\!i \\\\",
    );
    expect(mdParagraph("1. one")).toBe("1\\. one");
    expect(mdParagraph("- item")).toBe("\\- item");
  });

  it("fences code with more backticks than it holds, and shows pipes as entities", () => {
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdCode("a | b")).toBe("<code>a &#124; b</code>");
    expect(mdCode("<b>|")).toBe("<code>&#60;b&#62;&#124;</code>");
  });

  it("encodes what could end a link destination", () => {
    expect(mdLink("x", "https://e.org/a b(c)[d]|e`f")).toBe(
      "[x](https://e.org/a%20b%28c%29%5Bd%5D%7Ce%60f)",
    );
    expect(mdLink("x", "https://e.org/\ud800")).toBe("[x](https://e.org/%EF%BF%BD)");
  });

  it("escapes a cell's unescaped pipes only", () => {
    expect(mdCell("a|b \\| c \\\\| d")).toBe("a\\|b \\| c \\\\\\| d");
  });
});

describe("shell escaping", () => {
  /** The words /bin/sh makes of `line`, with `helm` printing its arguments instead of running. */
  function words(line: string): string[] {
    const script = `helm() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${line}\n`;
    const out = execFileSync("/bin/sh", ["-c", script], { encoding: "utf8" });
    return out.split("\0").slice(0, -1);
  }

  const oneLine = NASTY.filter((s) => !/[\r\n\u0085\u2028\u2029]/.test(s) && !s.includes("\0"));

  it.each(oneLine)("passes %j to the command as one word, never running it", (s) => {
    const word = shellWord(s);
    expect(words(`helm repo add ${word} ${shellWord("https://e.org/$(id)")}`)).toEqual([
      "repo",
      "add",
      s,
      "https://e.org/$(id)",
    ]);
  });

  it("leaves safe words bare and refuses a line break", () => {
    expect(shellWord("https://charts.example.org/stable")).toBe(
      "https://charts.example.org/stable",
    );
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(() => shellWord("a\nhelm repo add evil x")).toThrow(InputError);
  });
});
