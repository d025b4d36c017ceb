/** Images: each listed once within a component (formats and moving tags are the schema's). */
import type { Diagnostic } from "../../errors.js";
import { at, type Rule } from "./rule.js";

/** Every pinned image is listed once, by name and by reference. */
export const images: Rule = {
  name: "images",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const names = new Map<string, number>();
      const refs = new Map<string, number>();
      c.images.forEach((img, i) => {
        const p = ["components", id, "images", i];
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
