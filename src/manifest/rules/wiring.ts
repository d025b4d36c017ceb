/**
 * Rules for the cross-component wiring the umbrella generates: endpoint formats, `consumes`
 * references, the notebook environment target, and values the umbrella owns. Registered in
 * rules/index.ts beside the other rules.
 */
import type { Diagnostic } from "../../errors.js";
import { hasPlaceholder, parseEndpointUrl, serviceName } from "../endpoint-url.js";
import type { DocPath } from "../positions.js";
import type { Stack, StackComponent } from "../schema.js";
import { quote } from "../text.js";
import { at, type Rule, type RuleContext } from "./rule.js";

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path of parsed values, or undefined; only own keys count. */
export function valueAt(values: unknown, dotted: string): unknown {
  let cur: unknown = values;
  for (const key of dotted.split(".")) {
    if (!isMapping(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * The first proper prefix of `dotted` whose value is neither absent, null nor a mapping:
 * wiring cannot put a key below a scalar or a list.
 */
function scalarPrefix(
  values: unknown,
  dotted: string,
): { prefix: string; value: unknown } | undefined {
  const keys = dotted.split(".");
  for (let n = 1; n < keys.length; n++) {
    const prefix = keys.slice(0, n).join(".");
    const value = valueAt(values, prefix);
    if (value !== undefined && value !== null && !isMapping(value)) return { prefix, value };
  }
  return undefined;
}

const reservedValues: Rule = {
  name: "reserved-values",
  check: (stack, ctx) =>
    Object.entries(stack.components)
      .filter(([, c]) => Object.hasOwn(c.values, "enabled"))
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
        if (!u)
          out.push(at(ctx, [...p, "url"], `${quote(e.url)} is not scheme://host[:port][/path]`));
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
  const producer = Object.hasOwn(stack.components, component)
    ? stack.components[component]
    : undefined;
  return { component, producer, endpoint: producer?.endpoints.find((e) => e.name === name) };
}

/** The endpoints a `consumes` entry can name, for messages: the first 20, then a count. */
function knownEndpoints(stack: Stack): string {
  const all = Object.entries(stack.components).flatMap(([id, c]) =>
    c.endpoints.map((e) => `${id}.${e.name}`),
  );
  if (all.length === 0) return "none";
  const more = all.length > 20 ? `, … (${all.length - 20} more)` : "";
  return `${all.slice(0, 20).join(", ")}${more}`;
}

function checkConsumes(
  stack: Stack,
  id: string,
  c: StackComponent,
  ctx: RuleContext,
  known: () => string,
) {
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
      out.push(at(ctx, [...p, "endpoint"], `unknown endpoint "${w.endpoint}" (known: ${known()})`));
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
  check(stack, ctx) {
    let list: string | undefined;
    const known = () => {
      list ??= knownEndpoints(stack);
      return list;
    };
    return Object.entries(stack.components).flatMap(([id, c]) =>
      checkConsumes(stack, id, c, ctx, known),
    );
  },
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

/** Most environment entries the endpoint wiring may write, over all endpointEnv consumers. */
const MAX_ENV_ENTRIES = 10_000;

/**
 * Every endpointEnv consumer receives every other component's endpoints, so the values grow
 * with consumers × endpoints; the sum is bounded where a facility needs a few dozen.
 */
const endpointEnvSize: Rule = {
  name: "endpoint-env-size",
  check(stack, ctx) {
    const comps = Object.entries(stack.components);
    const all = comps.reduce((n, [, c]) => n + c.endpoints.length, 0);
    let total = 0;
    for (const [id, c] of comps) {
      if (c.endpointEnv === undefined) continue;
      total += all - c.endpoints.length;
      if (total > MAX_ENV_ENTRIES) {
        return [
          at(
            ctx,
            ["components", id, "endpointEnv"],
            `the endpoint wiring would write more than ${MAX_ENV_ENTRIES} environment entries (every endpointEnv consumer gets every other component's endpoints); use fewer consumers or endpoints`,
          ),
        ];
      }
    }
    return [];
  },
};

/** The values paths a component's wiring writes, with where each is declared. */
function wiredPaths(id: string, c: StackComponent) {
  const paths = c.consumes.map((w, i) => ({
    path: w.value,
    at: ["components", id, "consumes", i, "value"] as DocPath,
  }));
  if (c.endpointEnv !== undefined) {
    paths.push({ path: c.endpointEnv, at: ["components", id, "endpointEnv"] });
  }
  return paths;
}

/** Why a wired path cannot be written into the component's values, or undefined. */
function pathProblem(id: string, c: StackComponent, path: string, earlier: string[]) {
  if (path.split(".")[0] === "enabled") {
    return `${path} would set ${id}.enabled, which the umbrella refuses; its switch is components.${id}.enabled`;
  }
  const blocked = scalarPrefix(c.values, path);
  if (blocked) {
    const v = blocked.value;
    const shown = Array.isArray(v) ? "a list" : typeof v === "string" ? quote(v) : String(v);
    return `${path} needs values.${blocked.prefix} to be a mapping, but it holds ${shown}`;
  }
  const nested = earlier.find((o) => path.startsWith(`${o}.`) || o.startsWith(`${path}.`));
  if (nested !== undefined) {
    return `${path} and ${nested} are both wired and one holds the other; wire values that do not nest`;
  }
  return undefined;
}

/** Wired values land in the component's values as mappings of their own. */
const wiredValuePaths: Rule = {
  name: "wired-value-paths",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const earlier: string[] = [];
      for (const w of wiredPaths(id, c)) {
        const problem = pathProblem(id, c, w.path, earlier);
        if (problem !== undefined) out.push(at(ctx, w.at, problem));
        earlier.push(w.path);
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
  endpointEnvSize,
  wiredValuePaths,
];
