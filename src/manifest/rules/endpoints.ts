/** Endpoints: unique names, unique environment variables, known placeholders, real URLs. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/** Every published endpoint can be told apart and rendered. */
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
        const unknown = [...e.url.matchAll(/\{([^}]*)\}/g)]
          .map((m) => m[1])
          .filter((v) => v !== "release" && v !== "namespace");
        if (unknown.length > 0)
          out.push(
            at(
              ctx,
              [...p, "url"],
              `unknown placeholder {${unknown[0]}} (use {release} or {namespace})`,
            ),
          );
        else if (!/^[a-z][a-z0-9+.-]*:\/\/./.test(e.url))
          out.push(at(ctx, [...p, "url"], `"${e.url}" is not a URL (scheme://host…)`));
      });
    }
    return out;
  },
};
