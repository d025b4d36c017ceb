/** The supported Kubernetes versions (the e2e matrix) and their kind node images. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

const KUBE_VERSION = /^1\.(\d+)\.(\d+)$/;

/** Versions are MAJOR.MINOR.PATCH, one per minor; node images are pinned by digest. */
export const kubernetes: Rule = {
  name: "kubernetes-versions",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, number>();
    stack.kubernetes.versions.forEach((k, i) => {
      const p = ["kubernetes", "versions", i];
      if (!KUBE_VERSION.test(k.version)) {
        out.push(
          at(
            ctx,
            [...p, "version"],
            `"${k.version}" is not a Kubernetes version (expected MAJOR.MINOR.PATCH such as 1.35.4, no leading v)`,
          ),
        );
        return;
      }
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
      if (k.kindNodeImage !== undefined) {
        const m = /^kindest\/node:v([\d.]+)@(sha256:[a-f0-9]{64})$/.exec(k.kindNodeImage);
        if (!m) {
          out.push(
            at(
              ctx,
              [...p, "kindNodeImage"],
              `"${k.kindNodeImage}" must be kindest/node:v<version>@sha256:<digest> (node images are pinned by digest)`,
            ),
          );
        } else if (m[1] !== k.version) {
          out.push(
            at(
              ctx,
              [...p, "kindNodeImage"],
              `node image is for v${m[1]} but the entry is for ${k.version}`,
            ),
          );
        }
      }
    });
    return out;
  },
};
