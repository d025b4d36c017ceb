/**
 * Every counterexample the fuzzers ever found (test/fixtures/fuzz/<property>/*.json, written by
 * fuzz-params.ts on a failure) replayed through the same checks, deterministically, each run.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REGRESSIONS_DIR, type Regression } from "./fuzz-params.js";
import { fuzzWorld } from "./replay.js";

const PROPERTIES = ["stack-mutations", "bytes", "output-paths"];

const cases = readdirSync(REGRESSIONS_DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({
    file: f,
    regression: JSON.parse(readFileSync(path.join(REGRESSIONS_DIR, f), "utf8")) as Regression,
  }));

describe("fuzz regressions", () => {
  const replay = fuzzWorld();

  it("are kept with their property, seed and a note", () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const { file, regression } of cases) {
      expect(PROPERTIES, file).toContain(regression.property);
      expect(path.dirname(file), file).toBe(regression.property);
      expect(regression.note, `${file}: write what failed and what fixed it`).not.toMatch(
        /^TODO|^$/,
      );
    }
  });

  for (const { file, regression } of cases) {
    it(`${file}: ${regression.note}`, () => replay(regression.input));
  }
});
