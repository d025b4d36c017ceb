/**
 * Structural mutations of a YAML document: delete an entry, replace a value, rename a key,
 * duplicate a key, insert an entry, move a subtree elsewhere, nest a value deeply. An edit is
 * data (where is an index taken modulo the places it can apply to, so every edit applies to
 * any document); `applyEdits` plays a list of them on a copy of the document and writes it.
 */
import fc from "fast-check";
import { type Document, isMap, isNode, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { type Key, key, type Val, value } from "./arbitraries.js";

/** One structural edit. */
export type Edit =
  | { op: "delete"; at: number }
  | { op: "replace"; at: number; value: Val }
  | { op: "rename"; at: number; key: Key }
  | { op: "duplicate"; at: number; value?: Val }
  | { op: "insert"; at: number; key: Key; value: Val }
  | { op: "move"; at: number; to: number }
  | { op: "nest"; at: number; depth: number; of: "map" | "seq" };

const at = fc.nat();

/** Edits of every kind; `depth` reaches past the parser's nesting limit (64). */
export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at }),
  { weight: 4, arbitrary: fc.record({ op: fc.constant("replace" as const), at, value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("rename" as const), at, key }) },
  fc.record({ op: fc.constant("duplicate" as const), at, value }, { requiredKeys: ["op", "at"] }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant("insert" as const), at, key, value }) },
  fc.record({ op: fc.constant("move" as const), at, to: at }),
  fc.record({
    op: fc.constant("nest" as const),
    at,
    depth: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 60, max: 130 })),
    of: fc.constantFrom<"map" | "seq">("map", "seq"),
  }),
);

/** A few edits in a row. */
export const edits: fc.Arbitrary<Edit[]> = fc.array(edit, { minLength: 1, maxLength: 5 });

type Collection = YAMLMap | YAMLSeq;

/** An entry: item `index` of `parent` (a pair of a map, an item of a list), at `path`. */
interface Entry {
  parent: Collection;
  index: number;
  path: string;
}

/** Every entry and collection of the document, outermost first. */
function places(doc: Document): {
  entries: Entry[];
  collections: { node: Collection; path: string }[];
} {
  const entries: Entry[] = [];
  const collections: { node: Collection; path: string }[] = [];
  const walk = (node: unknown, path: string) => {
    if (!isMap(node) && !isSeq(node)) return;
    collections.push({ node, path });
    node.items.forEach((item, index) => {
      const at = `${path}/${index}`;
      entries.push({ parent: node, index, path: at });
      walk(isMap(node) ? (item as Pair).value : item, at);
    });
  };
  walk(doc.contents, "");
  return { entries, collections };
}

/** Writes edited documents; raw text goes in through placeholders the library writes plain. */
class Writer {
  private readonly raws: string[] = [];

  key(k: Key): unknown {
    if ("str" in k) return this.node(k);
    return this.node(k as Val);
  }

  node(v: Val): unknown {
    if (v === null || typeof v !== "object") return new Scalar(v);
    if ("str" in v) {
      const s = new Scalar(v.str);
      if (v.style) s.type = v.style;
      return s;
    }
    if ("raw" in v) return new Scalar(`__RAW_${this.raws.push(v.raw) - 1}__`);
    if ("many" in v) {
      const items = Array.from({ length: v.many }, (_, i): [Key, Val] => [{ str: `k${i}` }, i]);
      return v.of === "map"
        ? this.node({ map: items })
        : this.node({ seq: items.map(([, n]) => n) });
    }
    if ("map" in v) {
      const map = new YAMLMap();
      for (const [k, item] of v.map) map.items.push(new Pair(this.key(k), this.node(item)));
      map.flow = Boolean(v.flow);
      return map;
    }
    const seq = new YAMLSeq();
    for (const item of v.seq) seq.items.push(this.node(item));
    seq.flow = Boolean(v.flow);
    return seq;
  }

  text(doc: Document): string {
    return doc.toString().replace(/__RAW_(\d+)__/g, (_, i) => this.raws[Number(i)] ?? "");
  }
}

function pick<T>(list: T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

function entryValue(e: Entry): unknown {
  const item = e.parent.items[e.index];
  return isMap(e.parent) ? (item as Pair).value : item;
}

function setEntryValue(e: Entry, node: unknown): void {
  if (isMap(e.parent)) (e.parent.items[e.index] as Pair).value = node;
  else e.parent.items[e.index] = node;
}

/** A copy of a node, so that no node sits in two places (a later edit would change both). */
function clone(node: unknown): unknown {
  return isNode(node) ? node.clone() : node;
}

function nested(node: unknown, depth: number, of: "map" | "seq"): unknown {
  let out = node;
  for (let i = 0; i < depth; i++) {
    const wrap = of === "map" ? new YAMLMap() : new YAMLSeq();
    if (isMap(wrap)) wrap.items.push(new Pair(new Scalar("d"), out));
    else (wrap as YAMLSeq).items.push(out);
    out = wrap;
  }
  return out;
}

function apply(doc: Document, e: Edit, w: Writer): void {
  const { entries, collections } = places(doc);
  const pairs = entries.filter((x) => isMap(x.parent));
  if (e.op === "insert") {
    const target = pick(collections, e.at)?.node;
    if (isMap(target)) target.items.push(new Pair(w.key(e.key), w.node(e.value)));
    else target?.items.push(w.node(e.value));
    return;
  }
  const entry = pick(e.op === "rename" || e.op === "duplicate" ? pairs : entries, e.at);
  if (!entry) return;
  const item = entry.parent.items[entry.index];
  if (e.op === "delete") entry.parent.items.splice(entry.index, 1);
  else if (e.op === "replace") setEntryValue(entry, w.node(e.value));
  else if (e.op === "rename") (item as Pair).key = w.key(e.key);
  else if (e.op === "duplicate") {
    const pair = item as Pair;
    const copy = new Pair(
      clone(pair.key),
      e.value === undefined ? clone(pair.value) : w.node(e.value),
    );
    entry.parent.items.splice(entry.index + 1, 0, copy as never);
  } else if (e.op === "nest") setEntryValue(entry, nested(entryValue(entry), e.depth, e.of));
  else {
    // Never into the moved subtree itself: that would make a cycle, not a document.
    const into = collections.filter((c) => !`${c.path}/`.startsWith(`${entry.path}/`));
    const target = pick(into, e.to)?.node;
    if (!target) return;
    entry.parent.items.splice(entry.index, 1);
    if (isMap(target))
      target.items.push(isMap(entry.parent) ? (item as Pair) : new Pair(new Scalar("moved"), item));
    else target.items.push(isMap(entry.parent) ? (item as Pair).value : item);
  }
}

/** The text of `base` with `list` applied in order (base is not changed). */
export function applyEdits(base: Document, list: readonly Edit[]): string {
  const doc = base.clone();
  const w = new Writer();
  for (const e of list) apply(doc, e, w);
  return w.text(doc);
}
