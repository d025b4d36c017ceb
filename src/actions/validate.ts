/** `shoppe validate`: load stack.yaml through schema and rules, and summarise what it pins. */
import path from "node:path";
import { profileValuesRule } from "../chart/profiles.js";
import type { Context } from "../context.js";
import { loadStack } from "../manifest/load.js";
import { isLocalChart } from "../manifest/schema.js";

/** Options for validate. */
export interface ValidateOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
}

/** One component as validate reports it. */
export interface ValidatedComponent {
  id: string;
  enabled: boolean;
  chart: string;
  version: string;
  images: number;
}

/** A valid manifest's summary (invalid input throws InputError with every diagnostic). */
export interface ValidateResult {
  file: string;
  release: string;
  kubernetes: string[];
  components: ValidatedComponent[];
}

/** Validates the manifest; throws InputError listing every problem. */
export async function validate(
  ctx: Context,
  options: ValidateOptions = {},
): Promise<ValidateResult> {
  const shown = options.file ?? "stack.yaml";
  // The umbrella's check of profile values too: validate refuses what render would.
  const loaded = await loadStack(path.resolve(ctx.root, shown), {
    shownAs: shown,
    rules: [profileValuesRule],
  });
  const { stack } = loaded;
  return {
    file: shown,
    release: `${stack.release.name} ${stack.release.version}`,
    kubernetes: stack.kubernetes.versions.map((k) => k.version),
    components: Object.entries(stack.components).map(([id, c]) => ({
      id,
      enabled: c.enabled,
      chart: !c.chart
        ? "-"
        : isLocalChart(c.chart)
          ? c.chart.path
          : `${c.chart.repository} ${c.chart.name}`,
      version: c.chart?.version ?? "-",
      images: c.images.length,
    })),
  };
}
