/**
 * Checks over a composed YAML document in one linear pass, replacing the `yaml` package's
 * own where those are quadratic: keys that are not scalars, duplicate keys (a Set per mapping;
 * the package compares each key with every earlier one), and aliases: how many there are (toJS scans the document once
 * per alias), whether one names a node it is inside (a cycle, which toJS turns into a circular
 * value), and how large the document becomes once they are expanded (the package recounts a
 * node's aliases by walking the whole document for each). The walk recurses, which is safe
 * because the parser has already refused documents nested deeper than the limit.
 */
import { type Document, isAlias, isCollection, isMap, isPair, isScalar, type Node } from "yaml";

/** A problem at a character offset. */
export interface OffsetProblem {
  offset: number;
  message: string;
}

/** Limits of the alias checks. */
export interface AliasLimits {
  /** Most aliases in the document. */
  maxAliases: number;
  /** Most values (scalars and collections) the document may hold with aliases expanded. */
  maxExpanded: number;
}

/** Keys that are not scalars, duplicate keys and alias problems, in document order. */
export function checkKeysAndAliases(doc: Document, limits: AliasLimits): OffsetProblem[] {
  const walk = new Walk(limits);
  walk.visit(doc.contents as Node | null);
  return walk.problems;
}

class Walk {
  readonly problems: OffsetProblem[] = [];
  private readonly anchors = new Map<string, Node>();
  /** Collections being walked: an alias to one of them is a cycle. */
  private readonly open = new Set<Node>();
  /** Expanded size of every finished anchored node. */
  private readonly sizes = new Map<Node, number>();
  private aliases = 0;
  private total = 0;
  private stopped = false;

  constructor(private readonly limits: AliasLimits) {}

  /** The expanded size of `node`: 1 per value, an alias counting as what it names. */
  visit(node: Node | null | undefined): number {
    if (!node || this.stopped) return 0;
    if (isAlias(node)) return this.alias(node);
    if (node.anchor) this.anchors.set(node.anchor, node);
    let size = 1;
    this.total++;
    if (isCollection(node)) {
      this.open.add(node);
      if (isMap(node)) this.keys(node.items);
      for (const item of node.items) {
        if (isPair(item)) size += this.visit(item.key as Node) + this.visit(item.value as Node);
        else size += this.visit(item as Node);
      }
      this.open.delete(node);
    }
    if (node.anchor) this.sizes.set(node, size);
    return size;
  }

  private alias(node: Node & { source: string }): number {
    const offset = node.range?.[0] ?? 0;
    if (++this.aliases > this.limits.maxAliases) {
      return this.stop(
        offset,
        `more than ${this.limits.maxAliases} aliases; refusing a document whose aliases could take long to expand`,
      );
    }
    // An unknown anchor is already a syntax error from the composer.
    const target = this.anchors.get(node.source);
    if (!target) return 1;
    if (this.open.has(target)) {
      this.problems.push({
        offset,
        message: `alias *${node.source} is inside the node it names, which makes a cycle`,
      });
      return 1;
    }
    const size = this.sizes.get(target) ?? 1;
    this.total += size;
    if (this.total > this.limits.maxExpanded) {
      return this.stop(
        offset,
        `aliases expand too much: with them expanded, the document holds more than ${this.limits.maxExpanded} values by here; refusing a document that could exhaust memory`,
      );
    }
    return size;
  }

  private stop(offset: number, message: string): number {
    this.problems.push({ offset, message });
    this.stopped = true;
    return 0;
  }

  /**
   * Keys are plain scalars (text, a number, true/false or null), each once. A list, a mapping
   * or a tagged value such as `!!timestamp` as a key would reach JavaScript as some text of it
   * (`[ a ]`, a date's long form, with a warning the yaml package prints on the process), and
   * an alias as a key hides which key it is (and so a duplicate).
   */
  private keys(items: readonly unknown[]): void {
    const seen = new Set<string>();
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const what = keyKind(pair.key);
      if (what) {
        const offset = (pair.key as Node).range?.[0] ?? 0;
        this.problems.push({ offset, message: `${what} cannot be a key; write the key as text` });
        continue;
      }
      if (!isScalar(pair.key)) continue;
      const { value, range } = pair.key;
      // The key as the JavaScript object gets it: `1` and `"1"` collide there.
      const key = value === null ? "" : String(value);
      if (seen.has(key))
        this.problems.push({ offset: range?.[0] ?? 0, message: `duplicate key "${key}"` });
      else seen.add(key);
    }
  }
}

/** What a key is when it is not a plain scalar, for the message; undefined when it is one. */
function keyKind(key: unknown): string | undefined {
  if (isAlias(key)) return `an alias (*${key.source})`;
  if (isCollection(key)) return "a list or mapping";
  if (!isScalar(key) || key.value === null || typeof key.value !== "object") return undefined;
  return `a ${key.tag?.replace("tag:yaml.org,2002:", "!!") ?? "tagged"} value`;
}
