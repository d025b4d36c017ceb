/**
 * Where stack.yaml repeats a pinned image in chart values (z2jh's `image: {name, tag}`, a
 * `{registry, repository, tag}` block, a whole `repo:tag` string such as a KubeSpawner
 * override): when the pin's tag changes, those values change with it, in the component's
 * values and in every profile's values for it. Matching is by the normalised repository and
 * the old tag, so an unrelated value is never touched.
 */
import { normaliseName, parseImageRef } from "../inspect/image-ref.js";
import type { DocPath } from "../manifest/positions.js";
import type { Stack } from "../manifest/schema.js";
import type { StackEdit } from "./stack-edit.js";

/** A pin whose tag changes. */
export interface TagChange {
  repository: string;
  from: string;
  to: string;
}

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

function repositoryOf(m: Values): string | undefined {
  if (typeof m.repository === "string") {
    const registry = typeof m.registry === "string" && m.registry ? `${m.registry}/` : "";
    return `${registry}${m.repository}`;
  }
  if (typeof m.name === "string") return m.name;
  if (typeof m.image === "string") return m.image;
  return undefined;
}

function walk(v: unknown, at: DocPath, changes: readonly TagChange[], out: StackEdit[]): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      walk(item, [...at, i], changes, out);
    });
    return;
  }
  if (!isMap(v)) return;
  const repo = repositoryOf(v);
  const tag = typeof v.tag === "string" || typeof v.tag === "number" ? String(v.tag) : undefined;
  if (repo && tag && !repo.includes(":")) {
    const hit = changes.find(
      (c) => normaliseName(c.repository) === normaliseName(repo) && c.from === tag,
    );
    if (hit) out.push({ path: [...at, "tag"], value: hit.to });
  }
  for (const [k, child] of Object.entries(v)) {
    if (typeof child === "string" && /:[^/]+$/.test(child)) {
      const ref = parseImageRef(child);
      const hit = changes.find(
        (c) => normaliseName(c.repository) === ref.name && c.from === ref.tag,
      );
      if (hit && !ref.digest) {
        out.push({
          path: [...at, k],
          value: `${child.slice(0, child.lastIndexOf(":"))}:${hit.to}`,
        });
      }
    } else {
      walk(child, [...at, k], changes, out);
    }
  }
}

/** Edits of `component`'s values (and its block in each profile) for the tag changes. */
export function valueEdits(
  stack: Stack,
  component: string,
  changes: readonly TagChange[],
): StackEdit[] {
  if (changes.length === 0) return [];
  const out: StackEdit[] = [];
  walk(stack.components[component]?.values, ["components", component, "values"], changes, out);
  for (const [name, p] of Object.entries(stack.profiles)) {
    walk(p.values[component], ["profiles", name, "values", component], changes, out);
  }
  return out;
}
