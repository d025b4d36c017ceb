/** The committed JSON Schema must equal the one generated from the zod model. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_SCHEMA_FILE, stackJsonSchemaText } from "../../src/manifest/json-schema.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("schema/stack.schema.json", () => {
  it("is up to date with src/manifest/schema.ts (run `npm run schema`)", () => {
    expect(readFileSync(path.join(ROOT, STACK_SCHEMA_FILE), "utf8")).toBe(stackJsonSchemaText());
  });

  it("is what stack.yaml's first line points editors at", () => {
    const first = readFileSync(path.join(ROOT, "stack.yaml"), "utf8").split("\n")[0];
    expect(first).toBe(`# yaml-language-server: $schema=./${STACK_SCHEMA_FILE}`);
  });

  it("rejects unknown keys and requires the release block", () => {
    const schema = JSON.parse(stackJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(["apiVersion", "release", "kubernetes", "components"]),
    );
  });
});
