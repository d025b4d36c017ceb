/**
 * Parsing takes about linear time: a 4 MiB document of each shape that once took super-linear
 * time (or overflowed the stack) parses within a generous multiple of the time an ordinary
 * 4 MiB manifest takes in the same run. Parses run in a worker thread with a deadline, so a
 * regression fails here instead of hanging. The absolute times are in `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_LIMITS } from "../../src/manifest/yaml-bounded.js";
import { ParseTimer, type TimingResult } from "../support/parse-timer.js";
import { SHAPES } from "../support/yaml-shapes.js";

const BYTES = MANIFEST_LIMITS.maxBytes;
/** Generous: the shapes take 0.15 to 1 times the baseline (bench/parse.bench.ts). */
const BOUND = 4;
/** The shapes with more tokens in 4 MiB than the limit allows (the others are 4 MiB in full). */
const DENSE = ["many keys", "many anchors", "nested aliases", "blank lines", "small sequences"];

describe("parse time of 4 MiB documents", () => {
  const timer = new ParseTimer();
  let baseline = 0;
  const deadline = () => 20 * baseline + 10_000;
  const expectLinear = (r: TimingResult) =>
    expect(r.ms, `${r.ms.toFixed(0)} ms against ${baseline.toFixed(0)} ms`).toBeLessThan(
      BOUND * baseline,
    );

  beforeAll(async () => {
    // The first parse also compiles the parser; the baseline is the faster of the next two.
    await timer.time({ bytes: BYTES }, 300_000);
    const runs = [
      await timer.time({ bytes: BYTES }, 300_000),
      await timer.time({ bytes: BYTES }, 300_000),
    ];
    for (const r of runs) expect(r.outcome).toBe("parsed");
    baseline = Math.min(...runs.map((r) => r.ms));
  }, 900_000);
  afterAll(() => timer.close());

  it.each(Object.keys(SHAPES))("%s, as large as the limits accept, parses", async (shape) => {
    const r = await timer.time({ shape, bytes: BYTES }, deadline());
    expect(r.outcome).toBe("parsed");
    expect(r.bytes).toBeGreaterThan(BYTES / 8);
    expectLinear(r);
  });

  it.each(DENSE)("%s, a full 4 MiB, is refused at the token limit", async (shape) => {
    const r = await timer.time({ shape, bytes: BYTES, full: true }, deadline());
    expect(r.outcome).toMatch(/^\d+:\d+: more than 800000 YAML tokens/);
    expectLinear(r);
  });
});
