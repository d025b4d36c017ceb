/**
 * The pages written for the project's users, and the harness that runs their commands: every
 * page is run by a doc test, every `shoppe`/`helm` block on it either runs there or says why
 * it cannot, and the parser finds what a reader would copy.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/tools.js";
import { blockProblems, commandLines, docBlocks, isCommandBlock } from "./doc-blocks.js";

/** Each user page and the test file that runs its blocks. */
const USER_DOCS: Record<string, string> = {
  "docs/operators.md": "test/docs/operators-doc.test.ts",
  "SUPPORT.md": "test/docs/operators-doc.test.ts",
  "docs/maintainers.md": "test/docs/maintainers-doc.test.ts",
  "docs/badges.md": "test/docs/badges-doc.test.ts",
};

describe("the user docs", () => {
  for (const [doc, test] of Object.entries(USER_DOCS)) {
    it(`${doc}: every shoppe and helm block runs in ${test} or says why not`, () => {
      const blocks = docBlocks(doc, readFileSync(path.join(ROOT, doc), "utf8"));
      expect(blockProblems(blocks)).toEqual([]);
      const runs = blocks.filter((b) => isCommandBlock(b) && b.directive?.kind !== "skip");
      expect(runs.length, `${doc} has no block that runs`).toBeGreaterThan(0);
      expect(existsSync(path.join(ROOT, test)), test).toBe(true);
      expect(readFileSync(path.join(ROOT, test), "utf8")).toContain(`docTests("${doc}"`);
    });
  }
});

describe("the doc-block parser", () => {
  const page = [
    "Intro",
    "",
    "```sh",
    "npx shoppe validate",
    "```",
    "",
    "<!-- doctest: skip: needs the real GitHub repository and a token to publish -->",
    "```sh",
    "GITHUB_TOKEN=x npx shoppe release cut --publish",
    "```",
    "",
    "1. A step:",
    "",
    "   ```bash",
    "   helm list --all-namespaces",
    "   ```",
    "",
    "<!-- doctest: skip: later -->",
    "```sh",
    "helm version",
    "```",
    "<!-- doctest: file values.yaml -->",
    "```yaml",
    "a: 1",
    "```",
    "```console",
    "$ echo hello",
    "hello",
    "```",
    "<!-- doctest: run it please -->",
    "```sh",
    "kubectl get pods | helm template x .",
    "```",
  ].join("\n");
  const blocks = docBlocks("page.md", page);

  it("finds command blocks, indented ones too, and what each directive says", () => {
    expect(blocks.map((b) => [b.line, b.lang, isCommandBlock(b), b.directive?.kind])).toEqual([
      [3, "sh", true, undefined],
      [8, "sh", true, "skip"],
      [14, "bash", true, undefined],
      [19, "sh", true, "skip"],
      [23, "yaml", false, "file"],
      [26, "console", false, undefined],
      [31, "sh", true, "bad"],
    ]);
    expect(blocks[2]?.code).toBe("helm list --all-namespaces");
    const consoleBlock = blocks[5];
    expect(consoleBlock && commandLines(consoleBlock)).toEqual(["echo hello"]);
  });

  it("fails a skip without a reason and a directive it does not know", () => {
    expect(blockProblems(blocks)).toEqual([
      "page.md:19: a skipped block must say why it cannot run here (at least a sentence)",
      'page.md:31: unknown doctest directive "run it please"',
    ]);
  });
});
