/**
 * Maps paths in a parsed YAML document back to line and column, so every diagnostic can say
 * `stack.yaml:12:7: components.mlflow.chart.version: …`.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";
import type { SourcePosition } from "../errors.js";

/** A path into the document: keys and array indices. */
export type DocPath = readonly (string | number)[];

/** Renders a path the way users read it: `components.mlflow.images[0].tag`. */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** A parsed document with the means to locate nodes in its source. */
export class PositionedDocument {
  /** Key → first pair, per mapping, built on first use: one lookup per step, not a scan. */
  private readonly keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of a character offset in the source. */
  at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /**
   * Position of the node at `path`; with `key`, the position of that key inside the mapping
   * at `path` (for unknown keys). Falls back to the nearest existing ancestor, so a missing
   * required field points at the mapping that lacks it.
   */
  locate(path: DocPath, key?: string): SourcePosition {
    let node: Node | null = this.doc.contents;
    let best = node?.range?.[0] ?? 0;
    const steps = key === undefined ? path : [...path, key];
    for (let i = 0; i < steps.length && node; i++) {
      const step = steps[i] as string | number;
      const isLastKey = key !== undefined && i === steps.length - 1;
      if (isMap(node)) {
        const pair = this.pairOf(node, String(step));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (isLastKey) return this.at(keyNode.range?.[0] ?? best);
        node = (pair.value as Node | null) ?? null;
        best = node?.range?.[0] ?? keyNode.range?.[0] ?? best;
      } else if (isSeq(node) && typeof step === "number") {
        const item = node.items[step] as Node | undefined;
        if (!item) break;
        node = item;
        best = item.range?.[0] ?? best;
      } else {
        break;
      }
    }
    return this.at(best);
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const k = String(p.key.value);
        if (!index.has(k)) index.set(k, p);
      }
      this.keyIndex.set(map, index);
    }
    return index.get(key);
  }
}
