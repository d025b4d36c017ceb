/** `dependsOn`: targets exist, are enabled when their dependant is, and form no cycle. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/** Dependencies between components are satisfiable. */
export const dependencies: Rule = {
  name: "dependencies",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const comps = stack.components;
    for (const [id, c] of Object.entries(comps)) {
      c.dependsOn.forEach((dep, i) => {
        const p = ["components", id, "dependsOn", i];
        const target = comps[dep];
        if (dep === id) out.push(at(ctx, p, `a component cannot depend on itself`));
        else if (!target)
          out.push(
            at(ctx, p, `unknown component "${dep}" (known: ${Object.keys(comps).join(", ")})`),
          );
        else if (c.enabled && !target.enabled)
          out.push(at(ctx, p, `"${id}" is enabled but depends on "${dep}", which is disabled`));
      });
    }
    const cycle = findCycle(
      Object.fromEntries(Object.entries(comps).map(([k, v]) => [k, v.dependsOn])),
    );
    if (cycle)
      out.push(
        at(
          ctx,
          ["components", cycle[0] as string, "dependsOn"],
          `dependency cycle: ${cycle.join(" → ")}`,
        ),
      );
    return out;
  },
};

/** The first dependency cycle found, as a closed path, or undefined. */
export function findCycle(graph: Record<string, string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stackPath: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done" || !(n in graph)) return undefined;
    if (state.get(n) === "visiting") return [...stackPath.slice(stackPath.indexOf(n)), n];
    state.set(n, "visiting");
    stackPath.push(n);
    for (const m of graph[n] ?? []) {
      if (m === n) continue; // reported separately as a self-dependency
      const found = visit(m);
      if (found) return found;
    }
    stackPath.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of Object.keys(graph).sort()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}
