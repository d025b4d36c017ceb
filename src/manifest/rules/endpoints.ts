/** Endpoints: unique names within a component, unique environment variables across them. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/**
 * Every published endpoint can be told apart: its variable names one ConfigMap key and one
 * notebook variable, so two endpoints with one variable would overwrite each other.
 * (URL formats and placeholders are the schema's.)
 */
export const endpoints: Rule = {
  name: "endpoints",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const envOwners = new Map<string, string>();
    for (const [id, c] of Object.entries(stack.components)) {
      const names = new Set<string>();
      c.endpoints.forEach((e, i) => {
        const p = ["components", id, "endpoints", i];
        if (names.has(e.name)) out.push(at(ctx, [...p, "name"], `duplicate endpoint "${e.name}"`));
        names.add(e.name);
        const owner = envOwners.get(e.env);
        if (owner) out.push(at(ctx, [...p, "env"], `${e.env} is already exported by ${owner}`));
        else envOwners.set(e.env, `${id}.${e.name}`);
      });
    }
    return out;
  },
};
