/**
 * Structural mutations of the default stack.yaml (delete, replace, rename, duplicate, insert,
 * move, nest deeply; hostile keys and values) through validate, render --check and render:
 * sane exit codes, no internal error, no hang, no write outside the chart, nothing lost.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { it } from "@fast-check/vitest";
import { describe } from "vitest";
import { parseDocument } from "yaml";
import { ROOT } from "../helpers/tools.js";
import { fuzzParams, TEST_TIMEOUT_MS } from "./fuzz-params.js";
import { fuzzWorld } from "./replay.js";
import { applyEdits, type Edit, edits } from "./yaml-edits.js";

const BASE = parseDocument(readFileSync(path.join(ROOT, "stack.yaml"), "utf8"));
const toInput = (list: Edit[]) => ({ stack: applyEdits(BASE, list) });

describe("structural mutations of stack.yaml", () => {
  const replay = fuzzWorld();
  it.prop([edits], fuzzParams("stack-mutations", 50, toInput))(
    "validate, render --check and render stay sane and own their writes",
    (list) => replay(toInput(list)),
    TEST_TIMEOUT_MS,
  );
});
