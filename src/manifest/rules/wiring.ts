/**
 * Rules for the cross-component wiring the umbrella generates: endpoint formats, `consumes`
 * references, the notebook environment target, and values the umbrella owns. Registered in
 * rules/index.ts beside the other rules.
 */
import type { Diagnostic } from "../../errors.js";
import { hasPlaceholder, parseEndpointUrl, serviceName } from "../endpoint-url.js";
import type { Stack, StackComponent } from "../schema.js";
import { at, type Rule, type RuleContext } from "./rule.js";

/** The value at a dotted path of a plain object, or undefined. */
export function valueAt(values: unknown, dotted: string): unknown {
  let cur: unknown = values;
  for (const key of dotted.split(".")) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const reservedValues: Rule = {
  name: "reserved-values",
  check: (stack, ctx) =>
    Object.entries(stack.components)
      .filter(([, c]) => "enabled" in c.values)
      .map(([id]) =>
        at(
          ctx,
          ["components", id, "values", "enabled"],
          `"enabled" is the umbrella's switch for the component; set components.${id}.enabled instead`,
        ),
      ),
};

const endpointFormats: Rule = {
  name: "endpoint-formats",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      c.endpoints.forEach((e, i) => {
        if (e.format === "url") return;
        const u = parseEndpointUrl(e.url);
        const p = ["components", id, "endpoints", i];
        if (!u) out.push(at(ctx, [...p, "url"], `"${e.url}" is not scheme://host[:port][/path]`));
        else if ((e.format === "hostport" || e.format === "port") && u.port === undefined) {
          out.push(at(ctx, [...p, "url"], `format ${e.format} needs a port in the URL`));
        }
      });
    }
    return out;
  },
};

function findEndpoint(stack: Stack, ref: string) {
  const [component, name] = ref.split(".") as [string, string];
  const producer = stack.components[component];
  return { component, producer, endpoint: producer?.endpoints.find((e) => e.name === name) };
}

function knownEndpoints(stack: Stack): string {
  const all = Object.entries(stack.components).flatMap(([id, c]) =>
    c.endpoints.map((e) => `${id}.${e.name}`),
  );
  return all.length > 0 ? all.join(", ") : "none";
}

function checkConsumes(stack: Stack, id: string, c: StackComponent, ctx: RuleContext) {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  c.consumes.forEach((w, i) => {
    const p = ["components", id, "consumes", i];
    if (seen.has(w.value)) out.push(at(ctx, [...p, "value"], `${w.value} is wired twice`));
    seen.add(w.value);
    if (valueAt(c.values, w.value) !== undefined) {
      out.push(
        at(
          ctx,
          [...p, "value"],
          `${w.value} is also set in values; the wiring owns it, remove one`,
        ),
      );
    }
    const { component, producer, endpoint } = findEndpoint(stack, w.endpoint);
    if (component === id) {
      out.push(at(ctx, [...p, "endpoint"], `a component cannot consume its own endpoint`));
      return;
    }
    if (!producer || !endpoint) {
      out.push(
        at(
          ctx,
          [...p, "endpoint"],
          `unknown endpoint "${w.endpoint}" (known: ${knownEndpoints(stack)})`,
        ),
      );
      return;
    }
    const u = parseEndpointUrl(endpoint.url);
    if (!u) {
      out.push(at(ctx, [...p, "endpoint"], `the URL of ${w.endpoint} is not scheme://host[:port]`));
    } else if (hasPlaceholder(serviceName(u))) {
      out.push(
        at(
          ctx,
          [...p, "endpoint"],
          `the Service name of ${w.endpoint} depends on the release (${endpoint.url}); chart values are static, so fix the name (fullnameOverride) to wire it`,
        ),
      );
    } else if ((w.format === "hostport" || w.format === "port") && u.port === undefined) {
      out.push(at(ctx, [...p, "format"], `${w.endpoint} has no port for format ${w.format}`));
    }
  });
  return out;
}

const consumes: Rule = {
  name: "consumes",
  check: (stack, ctx) =>
    Object.entries(stack.components).flatMap(([id, c]) => checkConsumes(stack, id, c, ctx)),
};

const endpointEnv: Rule = {
  name: "endpoint-env",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const wiredEnv = new Set(
      Object.values(stack.components).flatMap((c) => c.endpoints.map((e) => e.env)),
    );
    for (const [id, c] of Object.entries(stack.components)) {
      if (c.endpointEnv === undefined) continue;
      const p = ["components", id, "endpointEnv"];
      const current = valueAt(c.values, c.endpointEnv);
      if (current !== undefined && (typeof current !== "object" || Array.isArray(current))) {
        out.push(
          at(
            ctx,
            p,
            `values.${c.endpointEnv} must be a mapping (env name → value) to add endpoints`,
          ),
        );
        continue;
      }
      if (c.consumes.some((w) => w.value === c.endpointEnv)) {
        out.push(at(ctx, p, `${c.endpointEnv} is also a consumes value`));
      }
      for (const key of Object.keys((current as Record<string, unknown> | undefined) ?? {})) {
        if (wiredEnv.has(key)) {
          out.push(
            at(
              ctx,
              ["components", id, "values", ...c.endpointEnv.split("."), key],
              `${key} is set by the endpoint wiring; remove it from values`,
            ),
          );
        }
      }
    }
    return out;
  },
};

/** The wiring rules, in report order. */
export const WIRING_RULES: readonly Rule[] = [
  reservedValues,
  endpointFormats,
  consumes,
  endpointEnv,
];
