/**
 * How long the fuzzers run and what a failure leaves behind. Runs per property come from
 * SHOPPE_FUZZ_RUNS (default: each property's own, sized for CI); a time limit per property
 * (SHOPPE_FUZZ_SECONDS, default 40 s unless SHOPPE_FUZZ_RUNS is set) stops a slow machine
 * early; SHOPPE_FUZZ_SEED and SHOPPE_FUZZ_PATH replay a run fast-check printed. On a failure
 * the shrunk counterexample is written as a regression case under
 * test/fixtures/fuzz/<property>/, which regressions.test.ts replays on every run.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { ROOT } from "../helpers/tools.js";
import type { OutputCase } from "./output-targets.js";

/** Where regression cases live. */
export const REGRESSIONS_DIR = path.join(ROOT, "test/fixtures/fuzz");

/** The input a regression case replays: stack.yaml as text or as bytes, or an output case. */
export type RegressionInput = { stack: string } | { stackBase64: string } | { output: OutputCase };

/** A kept counterexample: where it came from, what it found, and the input itself. */
export interface Regression {
  property: string;
  seed: number;
  path: string;
  /** What failed and what fixed it; a new case says "TODO" until someone writes it. */
  note: string;
  input: RegressionInput;
}

/** The deadline of one CLI command (SHOPPE_FUZZ_DEADLINE_MS, default 20 s). */
export const DEADLINE_MS = Number(process.env.SHOPPE_FUZZ_DEADLINE_MS) || 20_000;

const RUNS = Number(process.env.SHOPPE_FUZZ_RUNS) || undefined;
const SEED = process.env.SHOPPE_FUZZ_SEED ? Number(process.env.SHOPPE_FUZZ_SEED) : undefined;
const SECONDS = Number(process.env.SHOPPE_FUZZ_SECONDS) || (RUNS === undefined ? 40 : undefined);

/** The test's own timeout: the time limit with room to shrink a failure, else a day. */
export const TEST_TIMEOUT_MS = SECONDS === undefined ? 86_400_000 : SECONDS * 1000 + 120_000;

/** The input as text for a failure message: text as it is, bytes as base64. */
export function describeInput(input: RegressionInput): string {
  if ("stack" in input) return `stack.yaml:\n${input.stack}`;
  if ("stackBase64" in input) return `stack.yaml (base64): ${input.stackBase64}`;
  return `output case: ${JSON.stringify(input.output)}`;
}

async function keep(
  property: string,
  details: fc.RunDetails<unknown>,
  input: RegressionInput,
): Promise<string> {
  const digest = createHash("sha256").update(JSON.stringify(input)).digest("hex").slice(0, 10);
  const file = path.join(REGRESSIONS_DIR, property, `${digest}.json`);
  const regression: Regression = {
    property,
    seed: details.seed,
    path: details.counterexamplePath ?? "",
    note: "TODO: what failed, and what fixed it",
    input,
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(regression, null, 2)}\n`);
  return path.relative(ROOT, file);
}

/**
 * fast-check parameters for `property`: its runs, the time limit, and a reporter that prints a
 * line per run and, on a failure, keeps the counterexample (`toInput` turns it into the input).
 */
export function fuzzParams<T>(
  property: string,
  defaultRuns: number,
  toInput: (value: T) => RegressionInput,
): fc.Parameters<[T]> {
  return {
    numRuns: RUNS ?? defaultRuns,
    // A run as fast-check printed it: the seed replays the cases, the path goes to the failure.
    ...(SEED === undefined ? {} : { seed: SEED }),
    ...(process.env.SHOPPE_FUZZ_PATH ? { path: process.env.SHOPPE_FUZZ_PATH } : {}),
    plugins: SECONDS === undefined ? [] : [fc.interruptAfterTimeLimit(SECONDS * 1000)],
    asyncReporter: async (details) => {
      const stopped = details.interrupted ? ", stopped at the time limit" : "";
      console.log(`fuzz ${property}: ${details.numRuns} cases${stopped} (seed ${details.seed})`);
      if (!details.failed) return;
      const error = details.errorInstance;
      const why = error instanceof Error ? error.message : String(error);
      const report = `${fc.defaultReportMessage(details) ?? "failed"}\n\n${why}`;
      const value = details.counterexample?.[0];
      if (value === undefined) throw new Error(report, { cause: error });
      const file = await keep(property, details as fc.RunDetails<unknown>, toInput(value));
      throw new Error(
        `${report}\n\nThe counterexample is kept as ${file}: fix the bug, write its note, commit it.`,
        { cause: error },
      );
    },
  };
}
