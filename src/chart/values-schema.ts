/**
 * values.schema.json of the umbrella (draft-07), so `helm install` rejects a misspelt or
 * mistyped umbrella value: top-level keys are strict, `global` stays open (Helm injects it
 * and sub-charts add to it), `components` holds a boolean switch per component, and a
 * component's own block is left to its chart's schema. The same schema checks profiles
 * at validate and render time, through Ajv.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { quote } from "../manifest/text.js";
import { switchPath, type UmbrellaComponent, type UmbrellaModel } from "./model.js";

/** What the values schema is built from: the umbrella's name and its components. */
export interface SchemaModel {
  name: UmbrellaModel["name"];
  components: readonly Pick<UmbrellaComponent, "id" | "displayName">[];
}

/** The JSON Schema keywords this schema uses. */
export interface JsonSchema {
  $schema?: string;
  $comment?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  /** The only value allowed. */
  const?: unknown;
}

const PULL_SECRET: JsonSchema = {
  anyOf: [
    { type: "string" },
    {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" } },
      additionalProperties: true,
    },
  ],
};

function globalSchema(): JsonSchema {
  return {
    type: "object",
    description: "Shared with every sub-chart; open because sub-charts define their own keys.",
    additionalProperties: true,
    properties: {
      domain: { type: "string" },
      ingress: {
        type: "object",
        additionalProperties: true,
        properties: { className: { type: "string" } },
      },
      storageClass: { type: "string" },
      imagePullSecrets: { type: "array", items: PULL_SECRET },
    },
  };
}

function shoppeSchema(): JsonSchema {
  return {
    type: "object",
    description: "The umbrella chart's own templates.",
    additionalProperties: false,
    properties: {
      endpoints: {
        type: "object",
        additionalProperties: false,
        properties: { create: { type: "boolean" } },
      },
    },
  };
}

function componentsSchema(model: SchemaModel): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const c of model.components) {
    properties[c.id] = {
      type: "object",
      additionalProperties: false,
      required: ["enabled"],
      properties: { enabled: { type: "boolean", description: `Install ${c.displayName}.` } },
    };
  }
  return {
    type: "object",
    description: "One switch per component: components.<id>.enabled.",
    additionalProperties: false,
    required: model.components.map((c) => c.id),
    properties,
  };
}

/** The schema as data. */
export function valuesSchema(model: SchemaModel, notice: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    global: globalSchema(),
    shoppe: shoppeSchema(),
  };
  properties.components = componentsSchema(model);
  for (const c of model.components) {
    properties[c.id] = {
      type: "object",
      description: `${c.displayName}: values for its chart (validated by that chart).`,
      // `<id>.enabled` would reach the chart and switch nothing; an unmatchable `const` makes
      // helm's schema error read as the instruction ("value must be 'set components…'").
      properties: { enabled: { const: `set ${switchPath(c.id)} instead` } },
      additionalProperties: true,
    };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $comment: notice,
    title: `${model.name} values`,
    type: "object",
    additionalProperties: false,
    required: ["components"],
    properties,
  };
}

/** values.schema.json text. */
export function valuesSchemaText(model: SchemaModel, notice: string): string {
  return `${JSON.stringify(valuesSchema(model, notice), null, 2)}\n`;
}

/** One schema violation: where (path segments) and what. */
export interface SchemaProblem {
  path: string[];
  message: string;
}

/** Options of checkValues. */
export interface CheckValuesOptions {
  /** An overlay (a profile, `--values`) sets only some keys: `required` is not checked. */
  partial?: boolean;
}

/** A value as a message shows it: strings quoted, anything else as JSON, cut when long. */
function describeValue(v: unknown): string {
  if (typeof v === "string") return quote(v);
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

/** JSON Pointer segments (`/a~1b/c` → ["a/b", "c"]). */
function pointerPath(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** A problem an author can act on, from one Ajv error; undefined for errors not to report. */
function problemOf(e: ErrorObject, partial: boolean): SchemaProblem | undefined {
  const path = pointerPath(e.instancePath);
  // Inside anyOf the branches' own errors only explain the anyOf error, reported alone.
  if (e.schemaPath.includes("/anyOf/")) return undefined;
  // A null deletes the key when Helm merges values, so it fits anywhere below the top.
  if (e.data === null && path.length > 0 && e.keyword !== "additionalProperties") return undefined;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      return {
        path: [...path, key],
        message: `unknown key ${quote(key)} (known here: ${known.join(", ")})`,
      };
    }
    case "required":
      return partial
        ? undefined
        : { path: [...path, String(e.params.missingProperty)], message: "is required" };
    case "type":
      return {
        path,
        message: `must be ${String(e.params.type).split(",").join(" or ")}, got ${describeValue(e.data)}`,
      };
    case "anyOf":
      return { path, message: `${describeValue(e.data)} matches none of the allowed forms` };
    case "const":
      // The only const: `<id>.enabled`, which would reach the component's chart (valuesSchema).
      if (path.length === 2 && path[1] === "enabled") {
        const id = path[0] as string;
        return {
          path,
          message: `"${id}.enabled" would be handed to the component's chart; the switch is ${switchPath(id)}`,
        };
      }
      return { path, message: `must be ${JSON.stringify(e.params.allowedValue)}` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/**
 * Validators by schema object: a render checks every profile (and validate every profile
 * again) against one schema, and compiling it is most of Ajv's cost.
 */
const validators = new WeakMap<JsonSchema, ValidateFunction>();

function compiled(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    // strict: an unknown keyword in our own schema is a bug; logger off: the library never
    // prints; validateSchema off: the schema is ours (valuesSchema), checked against draft-07 by
    // a test, so compiling the meta-schema on every run would only cost time.
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      logger: false,
      validateSchema: false,
    });
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * Checks `value` against the umbrella's values schema with Ajv (draft-07, every error);
 * returns each problem once, with messages a manifest author reads.
 */
export function checkValues(
  value: unknown,
  schema: JsonSchema,
  options: CheckValuesOptions = {},
): SchemaProblem[] {
  const validate = compiled(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).flatMap((e) => problemOf(e, options.partial ?? false) ?? []);
}
