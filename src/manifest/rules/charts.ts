/** Charts: enabled components have one; first-party charts exist and match their Chart.yaml. */
import path from "node:path";
import { type Diagnostic, formatDiagnostic, InputError, InputFileError } from "../../errors.js";
import { parseYamlFile } from "../parse.js";
import type { DocPath } from "../positions.js";
import { isLocalChart } from "../schema.js";
import { quote } from "../text.js";
import { at, type Rule, type RuleContext } from "./rule.js";

/** Every enabled component has a chart; a first-party one exists and matches. */
export const charts: Rule = {
  name: "charts",
  async check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const p = ["components", id, "chart"];
      if (!c.chart) {
        if (c.enabled)
          out.push(at(ctx, ["components", id], `component is enabled but has no chart`));
        continue;
      }
      // Repository URLs are the schema's; a first-party chart is read from disk.
      if (isLocalChart(c.chart)) out.push(...(await checkLocalChart(c.chart, p, ctx)));
    }
    return out;
  },
};

async function checkLocalChart(
  chart: { path: string; name: string; version: string },
  p: DocPath,
  ctx: RuleContext,
): Promise<Diagnostic[]> {
  const shown = path.join(chart.path, "Chart.yaml");
  let meta: { name?: unknown; version?: unknown };
  try {
    // Read like stack.yaml itself: a FIFO, a device or a hostile document is refused, not read.
    const { value } = await parseYamlFile(path.join(ctx.dir, shown), shown);
    meta = (value !== null && typeof value === "object" ? value : {}) as typeof meta;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return [at(ctx, [...p, "path"], unusableChart(chart.path, err))];
  }
  const out: Diagnostic[] = [];
  if (meta.name !== chart.name)
    out.push(
      at(
        ctx,
        [...p, "name"],
        `${quote(chart.name)} does not match the name ${quote(String(meta.name))} in ${chart.path}/Chart.yaml`,
      ),
    );
  if (String(meta.version) !== chart.version) {
    out.push(
      at(
        ctx,
        [...p, "version"],
        `${quote(chart.version)} does not match the version ${quote(String(meta.version))} in ${chart.path}/Chart.yaml`,
      ),
    );
  }
  return out;
}

/** Why a first-party chart's Chart.yaml cannot be used, for a diagnostic at its path. */
function unusableChart(dir: string, err: InputError): string {
  if (err instanceof InputFileError) {
    return err.missing
      ? `no chart at ${dir} (cannot read ${err.file})`
      : `cannot read ${err.file}: ${err.reason}`;
  }
  const first = err.diagnostics[0];
  return first ? `${err.message}: ${formatDiagnostic(first)}` : err.message;
}
