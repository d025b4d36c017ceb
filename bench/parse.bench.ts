/**
 * What bounded parsing costs at the size limit: shoppe's parse (limits, positions, duplicate
 * keys, aliases) of an ordinary 4 MiB manifest and of every hostile shape, as large as the
 * limits accept and (for the shapes denser than the token limit) a full 4 MiB refused at it,
 * against two peers in the same run: a plain `yaml.parse` of the ordinary document, and
 * `JSON.parse` of the same data. The goal: the worst shape under 2 s on the development machine.
 */
import { bench, describe } from "vitest";
import { parse } from "yaml";
import { InputError } from "../src/errors.js";
import { parseYamlText } from "../src/manifest/parse.js";
import { MANIFEST_LIMITS } from "../src/manifest/yaml-bounded.js";
import { largestAccepted, ordinaryManifest, SHAPES } from "../test/support/yaml-shapes.js";

const BYTES = MANIFEST_LIMITS.maxBytes;
/** Each case takes about a second: a few runs give a stable mean. */
const RUNS = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

const ordinary = ordinaryManifest(BYTES);
const json = JSON.stringify(parse(ordinary));

/**
 * The text of one case, built on its first (warm-up) run; one case's text is kept at a time,
 * so the heap the parses run in is not crowded with the other cases' megabytes.
 */
const current = { key: "", text: "" };
function text(key: string, build: () => string): string {
  if (current.key !== key) Object.assign(current, { key, text: build() });
  return current.text;
}

/** Parses as a manifest; a refusal (an InputError) is an expected outcome here. */
function shoppeParse(source: string): void {
  try {
    parseYamlText(source, "bench.yaml");
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
}

describe("parse 4 MiB", () => {
  bench(
    "peer: JSON.parse of the ordinary manifest's data",
    () => {
      JSON.parse(json);
    },
    RUNS,
  );
  bench(
    "peer: yaml.parse of an ordinary 4 MiB manifest",
    () => {
      parse(ordinary);
    },
    RUNS,
  );
  bench("shoppe: an ordinary 4 MiB manifest", () => shoppeParse(ordinary), RUNS);
  for (const shape of Object.keys(SHAPES)) {
    const make = SHAPES[shape] as (bytes: number) => string;
    const largest = () => largestAccepted(shape, BYTES, MANIFEST_LIMITS.maxTokens);
    const kib = Math.round(largest().length / 1024);
    bench(
      `shoppe: ${shape}, ${kib} KiB (largest accepted)`,
      () => shoppeParse(text(`${shape} largest`, largest)),
      RUNS,
    );
    if (kib * 1024 < 0.9 * BYTES) {
      bench(
        `shoppe: ${shape}, 4 MiB (refused at the token limit)`,
        () => shoppeParse(text(`${shape} full`, () => make(BYTES))),
        RUNS,
      );
    }
  }
});
