/**
 * Turns a failed helm run into an error a person can act on: it names the component (from
 * helm's output, see failures.ts), says what to change, points into stack.yaml where the cause
 * is an input, and always carries the command line that failed.
 */
import {
  CommandError,
  type Diagnostic,
  InputError,
  type ShoppeError,
  UsageError,
} from "../errors.js";
import { classifyHelmFailure, type HelmFailure, type SchemaViolation } from "./failures.js";
import type { NestedChart } from "./nested-charts.js";
import type { ChartSource } from "./repositories.js";
import type { Umbrella } from "./umbrella.js";

/** What was being done when helm failed. */
export interface ExplainContext {
  /** Completes "failed to …", e.g. "build the dependencies of charts/coffea-shoppe". */
  verb: string;
  umbrella: Umbrella;
  /** The profile whose values were in use, if any. */
  profile?: string;
  /** Charts bundled inside the components' charts, for schema errors helm names them in. */
  nested?: ReadonlyMap<string, NestedChart>;
}

function quoteList(ids: string[]): string {
  return ids.map((c) => `"${c}"`).join(", ");
}

function describeSource(s: ChartSource): string {
  return `${s.chart} ${s.version} from ${s.kind === "local" ? s.location : s.location.replace(/\/+$/, "")}`;
}

/** `component "servicex" (chart servicex 1.5.3 from https://…)`, or a list of them. */
function about(ids: string[], sources: ChartSource[]): string {
  if (ids.length === 0) return "a dependency (helm did not say which)";
  return ids
    .map((id) => {
      const s = sources.find((x) => x.component === id);
      return s ? `component "${id}" (chart ${describeSource(s)})` : `component "${id}"`;
    })
    .join(", ");
}

function withCommand(message: string, err: CommandError): string {
  return `${message}\n  helm said: ${
    err.output
      .split("\n")
      .filter((l) => /^Error:/.test(l.trim()))
      .at(-1)
      ?.trim() ?? "(see below)"
  }\n  command: ${err.command}`;
}

function rewrap(err: CommandError, message: string): CommandError {
  return new CommandError({
    message: withCommand(message, err),
    command: err.command,
    exitStatus: err.exitStatus,
    signal: err.signal,
    durationMs: err.durationMs,
    output: err.output,
    cause: err,
  });
}

/**
 * Where in stack.yaml a values path of a component is set: the profile first, then the
 * component; `prefix` leads from the component's block to a nested chart's.
 */
function valuePosition(
  u: Umbrella,
  v: SchemaViolation,
  component: string,
  profile?: string,
  prefix: string[] = [],
): Diagnostic {
  const segments = [
    ...prefix,
    ...v.pointer
      .split("/")
      .slice(1)
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~")),
  ];
  const candidates: (string | number)[][] = [];
  if (profile) candidates.push(["profiles", profile, "values", component, ...segments]);
  candidates.push(["components", component, "values", ...segments]);
  const has = (p: (string | number)[]) => lookup(u.stack as unknown, p) !== undefined;
  const hit = candidates.find(has);
  const p = hit ?? ["components", component, "values"];
  const origin = hit ? "" : " (not set in stack.yaml: a chart default or generated wiring)";
  return {
    position: u.loaded.document.locate(p),
    path: p.join("."),
    message: `${prefix.length > 0 ? `${v.chart} ` : ""}${v.pointer || "(root)"}: ${v.message}${origin}`,
  };
}

/** The value at a path of user data; own keys only, so `constructor` is a key, not Object's. */
function lookup(value: unknown, p: (string | number)[]): unknown {
  let cur = value;
  for (const k of p) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, String(k))) return undefined;
    cur = (cur as Record<string, unknown>)[String(k)];
  }
  return cur;
}

/** The error to throw for a failed helm run; `err` itself when nothing better can be said. */
export function explainHelmError(err: CommandError, x: ExplainContext): ShoppeError {
  const u = x.umbrella;
  const f: HelmFailure = classifyHelmFailure(err.output, u.sources);
  const who = about(f.components, u.sources);
  const fail = `failed to ${x.verb}`;
  switch (f.kind) {
    case "version-missing": {
      const diagnostics = f.components.map((id) => ({
        position: u.loaded.document.locate(["components", id, "chart", "version"]),
        path: `components.${id}.chart.version`,
        message: `no such chart version in its repository (${f.summary})`,
      }));
      const msg = `${fail}: ${who}: that chart version is not in the repository; pin one it has`;
      return new InputError(withCommand(msg, err), diagnostics, { cause: err });
    }
    case "repository-unreachable":
      return rewrap(err, `${fail}: the chart repository of ${who} cannot be reached`);
    case "registry-unreachable":
      return rewrap(err, `${fail}: the OCI registry of ${who} cannot be reached`);
    case "plain-http-needed":
      return new UsageError(
        withCommand(
          `${fail}: the OCI registry of ${who} speaks plain HTTP; pass --plain-http`,
          err,
        ),
        { cause: err },
      );
    case "schema": {
      const named: string[] = [];
      const diagnostics = f.violations.map((v) => {
        const direct = u.sources.find((s) => s.component === v.chart || s.chart === v.chart);
        const nested = direct ? undefined : x.nested?.get(v.chart);
        const id = nested?.component ?? direct?.component ?? v.chart;
        const label = nested ? `${id} (its ${v.chart} chart)` : id;
        if (!named.includes(label)) named.push(label);
        return valuePosition(u, v, id, x.profile, nested?.path);
      });
      const where = x.profile ? ` with profile ${x.profile}` : "";
      const msg = `${fail}: values for ${quoteList(named)} do not match ${named.length > 1 ? "their charts' schemas" : "its chart's schema"}${where}`;
      return new InputError(withCommand(msg, err), diagnostics, { cause: err });
    }
    case "dependencies-missing":
      return new InputError(
        withCommand(
          `${fail}: dependencies of ${who} are not built; run \`shoppe chart deps\``,
          err,
        ),
        [],
        { cause: err },
      );
    case "lock-stale":
      return new InputError(
        withCommand(
          `${fail}: ${u.chartShown}/Chart.lock is out of date with its Chart.yaml; run \`shoppe chart deps --update\``,
          err,
        ),
        [],
        { cause: err },
      );
    default:
      return f.components.length > 0 ? rewrap(err, `${fail}: helm failed on ${who}`) : err;
  }
}
