/** The supported Kubernetes versions (the e2e matrix): one per minor, node images that match. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/** One version per minor; a kind node image is for its entry's version. */
export const kubernetes: Rule = {
  name: "kubernetes-versions",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, number>();
    stack.kubernetes.versions.forEach((k, i) => {
      const p = ["kubernetes", "versions", i];
      const minor = k.version.split(".").slice(0, 2).join(".");
      const prev = seen.get(minor);
      if (prev !== undefined)
        out.push(
          at(
            ctx,
            [...p, "version"],
            `Kubernetes ${minor} is listed twice (also versions[${prev}])`,
          ),
        );
      else seen.set(minor, i);
      const imageVersion =
        k.kindNodeImage && /(?:^|\/)kindest\/node:v([^@]+)@/.exec(k.kindNodeImage)?.[1];
      if (imageVersion && imageVersion !== k.version) {
        out.push(
          at(
            ctx,
            [...p, "kindNodeImage"],
            `node image is for v${imageVersion} but the entry is for ${k.version}`,
          ),
        );
      }
    });
    return out;
  },
};
