/**
 * What positioned diagnostics cost: loading stack.yaml through the full pipeline (parse with
 * positions → schema → rules) against a peer that only parses and schema-checks it. The
 * ratio is the price of file:line:col errors and semantic rules, measured in the same run.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { bench, describe } from "vitest";
import { parse } from "yaml";
import { loadStack } from "../src/manifest/load.js";
import { StackSchema } from "../src/manifest/schema.js";

const file = path.resolve(import.meta.dirname, "../stack.yaml");
const text = readFileSync(file, "utf8");

describe("load the default stack.yaml", () => {
  bench("shoppe loadStack (positions + schema + rules)", async () => {
    await loadStack(file);
  });
  bench("peer: yaml.parse + schema only", () => {
    StackSchema.parse(parse(text));
  });
});
