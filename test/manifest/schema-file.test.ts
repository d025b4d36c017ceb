/**
 * The committed JSON Schema must equal the one generated from the zod model, and carries its
 * formats: editors refuse what `shoppe validate` refuses by format.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
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

/** Fixtures refused by a format the committed schema carries (not by a rule or refinement). */
const REFUSED_BY_JSON_SCHEMA = [
  "invalid-app-version-newline",
  "invalid-chart-name",
  "invalid-chart-version-leading-v",
  "invalid-component-id",
  "invalid-control-character",
  "invalid-digest",
  "invalid-display-name-newline",
  "invalid-endpoint-env",
  "invalid-endpoint-placeholder",
  "invalid-endpoint-port-range",
  "invalid-endpoint-port-zero",
  "invalid-endpoint-unclosed-placeholder",
  "invalid-endpoint-url-no-host",
  "invalid-github-source",
  "invalid-home-whitespace",
  "invalid-http-repository",
  "invalid-image-repository",
  "invalid-image-tag",
  "invalid-kube-version-format",
  "invalid-kube-version-leading-zero",
  "invalid-local-chart-absolute",
  "invalid-local-chart-outside",
  "invalid-maintainer-email",
  "invalid-maintainer-url",
  "invalid-profile-name",
  "invalid-release-name-long",
  "invalid-repository-newline",
  "invalid-repository-no-host",
  "invalid-value-path-empty-segment",
];

describe("the committed schema as editors use it (Ajv, draft 2020-12)", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(
    JSON.parse(readFileSync(path.join(ROOT, STACK_SCHEMA_FILE), "utf8")),
  );
  const manifest = (file: string) => parse(readFileSync(file, "utf8"));

  it("accepts the default stack.yaml and the valid fixtures", () => {
    for (const file of [path.join(ROOT, "stack.yaml"), ...fixtures("valid-")]) {
      expect(validate(manifest(file)), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it.each(REFUSED_BY_JSON_SCHEMA)("refuses %s, as shoppe validate does", (name) => {
    expect(validate(manifest(path.join(FIXTURES, `${name}.yaml`)))).toBe(false);
  });
});

const FIXTURES = path.join(ROOT, "test/fixtures/manifests");

function fixtures(prefix: string): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".yaml"))
    .map((f) => path.join(FIXTURES, f));
}
