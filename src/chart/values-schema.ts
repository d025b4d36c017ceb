/**
 * values.schema.json of the umbrella (draft-07), so `helm install` rejects a misspelt or
 * mistyped umbrella value: top-level keys are strict, `global` stays open (Helm injects it
 * and sub-charts add to it), `components` holds a boolean switch per component, and a
 * component's own block is left to its chart's schema. The same schema checks profiles
 * at render time, through a small validator of the keywords it uses.
 */
import { switchPath, type UmbrellaModel } from "./model.js";

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
  /** The only value allowed (not checked by checkAgainstSchema, which profiles do not need). */
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

function componentsSchema(model: UmbrellaModel): JsonSchema {
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
export function valuesSchema(model: UmbrellaModel, notice: string): JsonSchema {
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
export function valuesSchemaText(model: UmbrellaModel, notice: string): string {
  return `${JSON.stringify(valuesSchema(model, notice), null, 2)}\n`;
}

/** One schema violation: where (path segments) and what. */
export interface SchemaProblem {
  path: string[];
  message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(v: unknown, type: string | string[]): boolean {
  const actual = typeOf(v);
  const wanted = Array.isArray(type) ? type : [type];
  return wanted.some((t) => t === actual || (t === "number" && actual === "integer"));
}

function describeValue(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : JSON.stringify(v);
}

/**
 * Checks `value` against `schema` (the keywords above); returns every problem. A `null`
 * value is accepted anywhere, as Helm treats it as "delete this key" when merging. With
 * `partial`, `required` is not checked: an overlay (a profile, `--values`) sets only some keys.
 */
export function checkAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  path: string[] = [],
  partial = false,
): SchemaProblem[] {
  if (value === null && path.length > 0) return [];
  if (schema.anyOf) {
    const fits = schema.anyOf.some((s) => checkAgainstSchema(value, s, path, partial).length === 0);
    return fits
      ? []
      : [{ path, message: `${describeValue(value)} matches none of the allowed forms` }];
  }
  if (schema.type && !typeMatches(value, schema.type)) {
    return [
      {
        path,
        message: `must be ${[schema.type].flat().join(" or ")}, got ${describeValue(value)}`,
      },
    ];
  }
  const out: SchemaProblem[] = [];
  if (typeOf(value) === "object") {
    out.push(...checkObject(value as Record<string, unknown>, schema, path, partial));
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      out.push(...checkAgainstSchema(item, items, [...path, String(i)], partial));
    });
  }
  return out;
}

function checkObject(
  obj: Record<string, unknown>,
  schema: JsonSchema,
  path: string[],
  partial: boolean,
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const props = schema.properties ?? {};
  if (!partial) {
    for (const key of schema.required ?? []) {
      if (!(key in obj)) out.push({ path: [...path, key], message: "is required" });
    }
  }
  for (const [key, v] of Object.entries(obj)) {
    const sub = props[key];
    if (sub) out.push(...checkAgainstSchema(v, sub, [...path, key], partial));
    else if (schema.additionalProperties === false) {
      const known = Object.keys(props).join(", ");
      out.push({ path: [...path, key], message: `unknown key "${key}" (known here: ${known})` });
    }
  }
  return out;
}
