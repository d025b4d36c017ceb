/** Images: digests, moving tags, malformed tags and duplicates within a component. */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MOVING_TAGS = new Set([
  "latest",
  "development",
  "develop",
  "dev",
  "master",
  "main",
  "nightly",
  "edge",
  "stable",
]);

/** Every pinned image is immutable and listed once. */
export const images: Rule = {
  name: "images",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const names = new Map<string, number>();
      const refs = new Map<string, number>();
      c.images.forEach((img, i) => {
        const p = ["components", id, "images", i];
        if (img.digest !== undefined && !DIGEST.test(img.digest)) {
          out.push(
            at(
              ctx,
              [...p, "digest"],
              `"${img.digest}" is not a digest (sha256: followed by 64 lowercase hex digits)`,
            ),
          );
        }
        if (MOVING_TAGS.has(img.tag.toLowerCase())) {
          out.push(at(ctx, [...p, "tag"], `"${img.tag}" is a moving tag; pin a release tag`));
        }
        if (/[\s@]/.test(img.tag) || img.tag.includes(":")) {
          out.push(
            at(
              ctx,
              [...p, "tag"],
              `"${img.tag}" is not a valid tag (put a digest in the digest field)`,
            ),
          );
        }
        const prevName = names.get(img.name);
        if (prevName !== undefined) {
          out.push(
            at(ctx, [...p, "name"], `duplicate image "${img.name}" (also images[${prevName}])`),
          );
        } else names.set(img.name, i);
        const ref = `${img.repository}:${img.tag}`;
        const prevRef = refs.get(ref);
        if (prevRef !== undefined) {
          out.push(
            at(ctx, [...p, "repository"], `duplicate image ${ref} (also images[${prevRef}])`),
          );
        } else refs.set(ref, i);
      });
    }
    return out;
  },
};
