/**
 * The results files: the committed JSON Schema is the zod model's, results validate against it
 * and a claim the model does not allow is refused; JUnit XML parses (Python's XML parser) and
 * counts skipped and not-run as skips, never passes; the Markdown says every status in words.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { junitXml, xmlEscape } from "../../src/e2e/results/junit.js";
import { markdownSummary } from "../../src/e2e/results/markdown.js";
import {
  E2E_RESULTS_SCHEMA_FILE,
  E2eResultsSchema,
  e2eResultsSchemaText,
} from "../../src/e2e/results/model.js";
import {
  appendStepSummary,
  RESULTS_OWNER,
  runFiles,
  writeRun,
} from "../../src/e2e/results/write.js";
import { describeWithTools, findTool, ROOT } from "../helpers/tools.js";
import { sampleResults } from "./sample-results.js";

const tmp = mkdtempSync(path.join(tmpdir(), "shoppe-results-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("schema/e2e-results.schema.json", () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, E2E_RESULTS_SCHEMA_FILE), "utf8"));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it("is up to date with src/e2e/results/model.ts (run `npm run schema`)", () => {
    expect(readFileSync(path.join(ROOT, E2E_RESULTS_SCHEMA_FILE), "utf8")).toBe(
      e2eResultsSchemaText(),
    );
  });

  it("accepts a results file and refuses what no run may claim", () => {
    expect(validate(sampleResults()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...sampleResults(), tier: "works-on-my-machine" })).toBe(false);
    const passedSkip = sampleResults();
    (passedSkip.checks[1] as { status: string }).status = "ok";
    expect(validate(passedSkip)).toBe(false);
    expect(validate({ ...sampleResults(), surprise: true })).toBe(false);
    // Times are compared across runs: only an ISO 8601 UTC time orders them.
    expect(validate({ ...sampleResults(), finishedAt: "yesterday" })).toBe(false);
    expect(
      E2eResultsSchema.safeParse({ ...sampleResults(), finishedAt: "yesterday" }).success,
    ).toBe(false);
    const { tier: _t, ...untiered } = sampleResults({ status: "not-run" });
    expect(validate(untiered)).toBe(true);
  });
});

describe("JUnit XML", () => {
  const xml = junitXml([sampleResults()]);

  it("has a testcase per component and check; skipped ones are skips carrying their reason", () => {
    expect(xml).toContain('tests="5" failures="1" errors="0" skipped="2"');
    expect(xml).toContain('<skipped message="skipped: pods are simulated"/>');
    expect(xml).toContain('<skipped message="skipped: disabled in profile ci"/>');
    expect(xml).toContain(
      '<failure message="not ready after 8s: pod web-1: ImagePullBackOff (image a|b &lt;c&gt; &amp; &quot;d&quot;)">',
    );
    expect(xml).toContain('<property name="tier" value="control-plane"/>');
  });

  it("escapes markup and drops what XML cannot carry", () => {
    expect(xmlEscape(`<a b="c">&'\u0001`)).toBe("&lt;a b=&quot;c&quot;&gt;&amp;&apos;");
  });

  it("records a run that never ran as one skipped install", () => {
    const r = sampleResults({
      status: "not-run",
      reason: "no kind node image is pinned",
      components: [],
      checks: [],
    });
    const { tier: _t, ...notRun } = r;
    expect(junitXml([notRun as typeof r])).toContain(
      'name="install" time="20.000">\n      <skipped message="not-run: no kind node image is pinned"/>',
    );
  });
});

describeWithTools("JUnit XML as CI parsers read it", ["python3"], () => {
  it("is well-formed XML with the counts it declares", () => {
    const file = path.join(tmp, "junit.xml");
    writeFileSync(file, junitXml([sampleResults(), sampleResults({ status: "passed" })]));
    const script = [
      "import sys, xml.etree.ElementTree as ET",
      "root = ET.parse(sys.argv[1]).getroot()",
      "for s in root.iter('testsuite'):",
      "  cases = s.findall('testcase')",
      "  assert int(s.get('tests')) == len(cases)",
      "  assert int(s.get('skipped')) == sum(1 for c in cases if c.find('skipped') is not None)",
      "  print(s.get('tests'), s.get('failures'), s.get('skipped'))",
    ].join("\n");
    const out = execFileSync(findTool("python3") as string, ["-c", script, file], {
      encoding: "utf8",
    });
    expect(out).toBe("5 1 2\n5 1 2\n");
  });
});

describe("Markdown summary", () => {
  it("says the verdict, the tier and every status in words, with table cells escaped", () => {
    const md = markdownSummary(sampleResults());
    expect(md).toMatch(
      /^### shoppe e2e: kwok, Kubernetes 1\.35\.4 \(served v1\.35\.4\), profile ci: \*\*failed\*\*, tier \*\*control-plane\*\*/,
    );
    expect(md).toContain("Pods were simulated");
    expect(md).toContain("| web-answers | web | live-service | skipped | pods are simulated |");
    expect(md).toContain("image a\\|b");
    expect(md).toContain("Diagnostics bundle: bundle.tar.gz");
  });

  it("is appended to $GITHUB_STEP_SUMMARY when the job names one", async () => {
    const file = path.join(tmp, "step-summary.md");
    writeFileSync(file, "before\n");
    await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, sampleResults());
    expect(readFileSync(file, "utf8")).toBe(`before\n${markdownSummary(sampleResults())}\n`);
    await appendStepSummary({}, sampleResults()); // no variable: nothing happens
  });
});

describe("the results directory", () => {
  it("holds one directory per run, listed in its marker; a directory it did not write is refused", async () => {
    const dir = path.join(tmp, "e2e");
    const r = { dir, shown: "e2e", root: ROOT };
    await writeRun(r, "run-1", runFiles(sampleResults(), Buffer.from("archive")));
    await writeRun(r, "run-2", runFiles(sampleResults({ status: "passed" }), undefined));
    const marker = JSON.parse(readFileSync(path.join(dir, RESULTS_OWNER.marker), "utf8"));
    expect(marker.files).toEqual([
      "run-1/bundle.tar.gz",
      "run-1/junit.xml",
      "run-1/results.json",
      "run-1/summary.md",
      "run-2/junit.xml",
      "run-2/results.json",
      "run-2/summary.md",
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, "run-2/results.json"), "utf8")).status).toBe(
      "passed",
    );
    writeFileSync(path.join(dir, "notes.txt"), "mine");
    await expect(writeRun(r, "run-3", runFiles(sampleResults(), undefined))).rejects.toThrow(
      /failed to write results into e2e: notes\.txt is not listed in \.shoppe-e2e\.json/,
    );
  });
});
