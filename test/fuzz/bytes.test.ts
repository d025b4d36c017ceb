/**
 * Byte-wise mutations of the default stack.yaml (bit flips, inserted and deleted bytes,
 * invalid UTF-8, NUL, byte-order marks, CRLF, truncation) through validate, render --check
 * and render: sane exit codes, no internal error, no hang, nothing written or lost.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { it } from "@fast-check/vitest";
import { describe } from "vitest";
import { ROOT } from "../helpers/tools.js";
import { applyByteEdits, type ByteEdit, byteEdits } from "./byte-edits.js";
import { fuzzParams, TEST_TIMEOUT_MS } from "./fuzz-params.js";
import { fuzzWorld } from "./replay.js";

const BASE = readFileSync(path.join(ROOT, "stack.yaml"));
const toInput = (list: ByteEdit[]) => ({
  stackBase64: applyByteEdits(BASE, list).toString("base64"),
});

describe("byte-wise mutations of stack.yaml", () => {
  const replay = fuzzWorld();
  it.prop([byteEdits], fuzzParams("bytes", 50, toInput))(
    "validate, render --check and render stay sane and own their writes",
    (list) => replay(toInput(list)),
    TEST_TIMEOUT_MS,
  );
});
