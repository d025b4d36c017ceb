/** Update policies: only a chart from a repository has upstream releases to track. */
import type { Diagnostic } from "../../errors.js";
import { isLocalChart } from "../schema.js";
import { at, type Rule } from "./rule.js";

/** An `updates` block written for a first-party chart, or a component without a chart. */
export const updates: Rule = {
  name: "updates",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const p = ["components", id, "updates"];
      // The schema fills in a default policy everywhere; only one written here is a mistake.
      if (!ctx.document.doc.hasIn(p)) continue;
      if (!c.chart) {
        out.push(at(ctx, p, "the component has no chart, so there are no releases to track"));
      } else if (isLocalChart(c.chart)) {
        out.push(
          at(
            ctx,
            p,
            `${c.chart.path} is a first-party chart, released from this repository: it has no upstream releases to track; remove updates`,
          ),
        );
      }
    }
    return out;
  },
};
