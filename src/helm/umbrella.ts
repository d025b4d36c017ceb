/**
 * The rendered umbrella chart as the helm commands see it: where it is, its Chart.yaml
 * dependencies tied back to the components of stack.yaml, and its profiles
 * (`ci/<profile>-values.yaml`). Everything here reads files `shoppe render` wrote; a missing or
 * stale chart is an InputError that says to render again.
 */
import { access, readdir } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { InputError, InputFileError, UsageError } from "../errors.js";
import type { AttributionScope } from "../inspect/attribution.js";
import { type LoadedStack, loadStack } from "../manifest/load.js";
import { parseYamlFile } from "../manifest/parse.js";
import type { Stack } from "../manifest/schema.js";
import { type ChartSource, chartSources } from "./repositories.js";

/** Where the umbrella is: stack.yaml and the chart directory rendered from it. */
export interface UmbrellaOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
  /** Rendered chart directory, relative to the project root; default charts/<release name>. */
  chartDir?: string;
}

/** A Chart.yaml dependency entry. */
export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  alias?: string;
  condition?: string;
}

/** A profile and its values file. */
export interface UmbrellaProfile {
  name: string;
  /** Absolute path of `ci/<name>-values.yaml`. */
  valuesFile: string;
}

/** The umbrella chart and the stack it was rendered from. */
export interface Umbrella {
  loaded: LoadedStack;
  stack: Stack;
  /** Absolute chart directory. */
  chartDir: string;
  /** The chart directory as the user named it (for messages). */
  chartShown: string;
  name: string;
  version: string;
  dependencies: (ChartDependency & { component: string })[];
  /** Chart sources of stack.yaml: the one place repositories come from. */
  sources: ChartSource[];
  profiles: UmbrellaProfile[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** A YAML file of the umbrella, read as strictly as stack.yaml; undefined when it is missing. */
async function readYamlMapping(
  file: string,
  shown: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { value } = await parseYamlFile(file, shown);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch (err) {
    if (err instanceof InputFileError && err.missing) return undefined;
    throw err;
  }
}

/** Loads stack.yaml and the umbrella rendered from it; checks the two agree. */
export async function openUmbrella(ctx: Context, options: UmbrellaOptions = {}): Promise<Umbrella> {
  const shown = options.file ?? "stack.yaml";
  const loaded = await loadStack(path.resolve(ctx.root, shown), { shownAs: shown });
  const { stack } = loaded;
  const chartShown = options.chartDir ?? path.join("charts", stack.release.name);
  const chartDir = path.resolve(ctx.root, chartShown);
  const chartYamlShown = path.join(chartShown, "Chart.yaml");
  const meta = await readYamlMapping(path.join(chartDir, "Chart.yaml"), chartYamlShown);
  if (!meta) {
    throw new InputError(
      `failed to find the umbrella chart: ${chartYamlShown} does not exist; run \`shoppe render\` first`,
    );
  }
  const sources = chartSources(stack);
  const dependencies = ((meta.dependencies ?? []) as ChartDependency[]).map((d) => ({
    ...d,
    version: String(d.version),
    component: d.alias ?? d.name,
  }));
  const stale = staleness(dependencies, sources);
  if (stale.length > 0) {
    throw new InputError(
      `failed to use ${chartShown}: it does not match ${shown} (${stale.join("; ")}); run \`shoppe render\``,
    );
  }
  const profiles = await profilesOf(stack, chartDir, chartShown);
  return {
    loaded,
    stack,
    chartDir,
    chartShown,
    name: String(meta.name ?? stack.release.name),
    version: String(meta.version ?? stack.release.version),
    dependencies,
    sources,
    profiles,
  };
}

/** Differences between Chart.yaml's dependencies and stack.yaml's charts. */
function staleness(
  deps: (ChartDependency & { component: string })[],
  sources: ChartSource[],
): string[] {
  const out: string[] = [];
  for (const s of sources) {
    const d = deps.find((x) => x.component === s.component);
    if (!d) out.push(`no dependency for component ${s.component}`);
    else if (d.version !== s.version)
      out.push(`${s.component} is ${d.version}, pinned ${s.version}`);
    else if (
      s.kind !== "local" &&
      d.repository.replace(/\/+$/, "") !== s.location.replace(/\/+$/, "")
    ) {
      out.push(`${s.component} comes from ${d.repository}, pinned ${s.location}`);
    }
  }
  for (const d of deps) {
    if (!sources.some((s) => s.component === d.component))
      out.push(`${d.component} is not in stack.yaml`);
  }
  return out;
}

async function profilesOf(
  stack: Stack,
  chartDir: string,
  chartShown: string,
): Promise<UmbrellaProfile[]> {
  const out: UmbrellaProfile[] = [];
  for (const name of Object.keys(stack.profiles)) {
    const valuesFile = path.join(chartDir, "ci", `${name}-values.yaml`);
    if (!(await exists(valuesFile))) {
      throw new InputError(
        `failed to find profile ${name}: ${path.join(chartShown, "ci", `${name}-values.yaml`)} is missing; run \`shoppe render\``,
      );
    }
    out.push({ name, valuesFile });
  }
  return out;
}

/** The profiles to work on: the one named (UsageError when unknown) or all of them. */
export function selectProfiles(u: Umbrella, profile?: string): UmbrellaProfile[] {
  if (profile === undefined) {
    // A stack without profiles still renders once, with the chart's own values.
    return u.profiles.length > 0 ? u.profiles : [{ name: "default", valuesFile: "" }];
  }
  const found = u.profiles.find((p) => p.name === profile);
  if (!found) {
    const known = u.profiles.map((p) => p.name).join(", ") || "none";
    throw new UsageError(`unknown profile "${profile}" (known: ${known})`);
  }
  return [found];
}

/** Values files of a profile for helm's --values (none for the implicit default). */
export function profileValues(p: UmbrellaProfile): string[] {
  return p.valuesFile ? [p.valuesFile] : [];
}

/**
 * Checks every dependency is in charts/ (as `<name>-<version>.tgz` or an unpacked directory),
 * so lint, template and package fail with "run shoppe chart deps" rather than helm's riddle.
 */
export async function assertDependenciesBuilt(u: Umbrella): Promise<void> {
  const dir = path.join(u.chartDir, "charts");
  const entries = (await exists(dir)) ? await readdir(dir) : [];
  const missing = u.dependencies.filter(
    (d) => !entries.includes(`${d.name}-${d.version}.tgz`) && !entries.includes(d.name),
  );
  if (missing.length > 0) {
    const list = missing.map((d) => `${d.component} (${d.name} ${d.version})`).join(", ");
    throw new InputError(
      `failed to use ${u.chartShown}: dependencies are not in ${path.join(u.chartShown, "charts")}: ${list}; run \`shoppe chart deps\``,
    );
  }
}

/** What attributing objects to components needs, from the umbrella. */
export function attributionScope(u: Umbrella): AttributionScope {
  return {
    umbrella: u.name,
    components: Object.fromEntries(u.sources.map((s) => [s.component, s.chart])),
  };
}
