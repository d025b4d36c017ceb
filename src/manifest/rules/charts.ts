/** Charts: enabled components have one; repositories are https/oci; local charts exist and match. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { Diagnostic } from "../../errors.js";
import type { DocPath } from "../positions.js";
import { isLocalChart } from "../schema.js";
import { at, type Rule, type RuleContext } from "./rule.js";

const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** Every enabled component has a chart that can be fetched or read. */
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
      if (isLocalChart(c.chart)) {
        out.push(...(await checkLocalChart(c.chart, p, ctx)));
      } else {
        const repo = c.chart.repository;
        if (!/^(https:\/\/|oci:\/\/)/.test(repo) && !LOOPBACK_HTTP.test(repo)) {
          out.push(
            at(
              ctx,
              [...p, "repository"],
              `"${repo}" must be an https:// or oci:// URL (plain http only on loopback)`,
            ),
          );
        }
      }
    }
    return out;
  },
};

async function checkLocalChart(
  chart: { path: string; name: string; version: string },
  p: DocPath,
  ctx: RuleContext,
): Promise<Diagnostic[]> {
  const file = path.join(ctx.dir, chart.path, "Chart.yaml");
  let meta: { name?: unknown; version?: unknown };
  try {
    meta = (parseYaml(await readFile(file, "utf8")) ?? {}) as typeof meta;
  } catch {
    return [
      at(
        ctx,
        [...p, "path"],
        `no chart at ${chart.path} (cannot read ${path.join(chart.path, "Chart.yaml")})`,
      ),
    ];
  }
  const out: Diagnostic[] = [];
  if (meta.name !== chart.name)
    out.push(
      at(
        ctx,
        [...p, "name"],
        `"${chart.name}" does not match the name "${String(meta.name)}" in ${chart.path}/Chart.yaml`,
      ),
    );
  if (String(meta.version) !== chart.version) {
    out.push(
      at(
        ctx,
        [...p, "version"],
        `"${chart.version}" does not match the version "${String(meta.version)}" in ${chart.path}/Chart.yaml`,
      ),
    );
  }
  return out;
}
