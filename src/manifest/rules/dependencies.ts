/** `dependsOn`: targets exist, are enabled when their dependant is, and form no cycle. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/** Dependencies between components are satisfiable. */
export const dependencies: Rule = {
  name: "dependencies",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    // A Map: ids are user text, and `constructor` must not find Object's.
    const comps = new Map(Object.entries(stack.components));
    const known = [...comps.keys()].join(", ");
    for (const [id, c] of comps) {
      c.dependsOn.forEach((dep, i) => {
        const p = ["components", id, "dependsOn", i];
        const target = comps.get(dep);
        if (dep === id) out.push(at(ctx, p, `a component cannot depend on itself`));
        else if (!target) out.push(at(ctx, p, `unknown component "${dep}" (known: ${known})`));
        else if (c.enabled && !target.enabled)
          out.push(at(ctx, p, `"${id}" is enabled but depends on "${dep}", which is disabled`));
      });
    }
    const cycle = findCycle(new Map([...comps].map(([k, v]) => [k, v.dependsOn])));
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

/**
 * The first dependency cycle found, as a closed path, or undefined. Depth first with an
 * explicit stack: a long `dependsOn` chain must not overflow the call stack.
 */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  for (const root of [...graph.keys()].sort()) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, "visiting");
    while (path.length > 0) {
      const n = path[path.length - 1] as string;
      const i = next[next.length - 1] as number;
      const edges = graph.get(n) ?? [];
      if (i >= edges.length) {
        state.set(n, "done");
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const m = edges[i] as string;
      // A self-dependency is reported on its own; unknown targets have no edges to follow.
      if (m === n || !graph.has(m) || state.get(m) === "done") continue;
      if (state.get(m) === "visiting") return [...path.slice(path.indexOf(m)), m];
      state.set(m, "visiting");
      path.push(m);
      next.push(0);
    }
  }
  return undefined;
}
