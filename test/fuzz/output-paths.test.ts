/**
 * `render -o` and `render --check -o` with generated output paths and file types (see
 * output-targets.ts): refusals exit 2 and change nothing, writes stay inside the output
 * directory and delete only what an earlier render wrote, and every target gets its exit code.
 */
import { it } from "@fast-check/vitest";
import { describe } from "vitest";
import { fuzzParams, TEST_TIMEOUT_MS } from "./fuzz-params.js";
import { type OutputCase, outputCase } from "./output-targets.js";
import { fuzzWorld } from "./replay.js";

const toInput = (output: OutputCase) => ({ output });

describe("output paths and file types", () => {
  const replay = fuzzWorld();
  it.prop([outputCase], fuzzParams("output-paths", 50, toInput))(
    "render refuses what it does not own and writes only what it owns",
    (c) => replay(toInput(c)),
    TEST_TIMEOUT_MS,
  );
});
