/**
 * A documented values tree: every mapping key carries a helm-docs description. One tree
 * feeds values.yaml (as `# --` comments), the README's values reference and the profile
 * files, so documentation cannot drift from the values it describes.
 */
import {
  Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Pair,
  type Scalar,
  YAMLMap,
} from "yaml";
import { yamlComment, yamlText } from "./escape/yaml.js";

/** One mapping key with its description, holding either a leaf value or child keys. */
export interface VNode {
  key: string;
  /** helm-docs description, without the leading `--`; "" for none. */
  description: string;
  /** The value of a leaf (scalars, lists and mappings printed as one value). */
  value?: unknown;
  /** Child keys of a mapping that is documented key by key. */
  children?: VNode[];
  /** Print a leaf mapping on one line (`{ a: 1 }`). */
  flow?: boolean;
}

/** Options every generated YAML file shares: YAML 1.1 quoting, which Go YAML parsers need. */
export const YAML_OPTIONS = { version: "1.1" } as const;
/** Output options: no line folding, so long strings stay diffable. */
export const YAML_TO_STRING = { lineWidth: 0, indentSeq: true } as const;

/** Comment text of a source YAML node's key: the lines above it, then a trailing comment. */
function commentOf(map: YAMLMap, index: number): string {
  const pair = map.items[index];
  if (!isPair(pair)) return "";
  const key = pair.key as Node | null;
  let text = (isScalar(key) ? key.commentBefore : undefined) ?? "";
  if (!text && index === 0) text = map.commentBefore ?? "";
  const value = pair.value as Node | null;
  if (!text && isScalar(value)) text = value.comment ?? "";
  return cleanComment(text);
}

/** Strips helm-docs markers and blank lines from a comment. */
export function cleanComment(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim().replace(/^--\s?/, ""))
    .filter((l) => l !== "" && !l.startsWith("@"))
    .join("\n");
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The tree of a plain mapping, taking descriptions from the YAML node it was parsed from
 * (authored comments); `fallback` describes keys without one ("" leaves them bare). Keys
 * keep the source's order; only own keys count (a key may be `constructor`).
 */
export function treeFromSource(
  value: Record<string, unknown>,
  source: unknown,
  fallback: (path: string[]) => string,
  path: string[] = [],
): VNode[] {
  const map = isMap(source) ? (source as YAMLMap) : undefined;
  // Key → index in the source mapping: a Map, so a mapping of many keys stays linear.
  const indexOf = new Map<string, number>();
  map?.items.forEach((p, i) => {
    const key = String((p.key as Scalar | null)?.value ?? "");
    if (!indexOf.has(key)) indexOf.set(key, i);
  });
  const keys = [
    ...[...indexOf.keys()].filter((k) => Object.hasOwn(value, k)),
    ...Object.keys(value).filter((k) => !indexOf.has(k)),
  ];
  return keys.map((key) => {
    const index = indexOf.get(key);
    const pair = map && index !== undefined ? map.items[index] : undefined;
    const child = value[key];
    const keyPath = [...path, key];
    const description =
      (map && index !== undefined ? commentOf(map, index) : "") || fallback(keyPath);
    if (isPlainMap(child) && Object.keys(child).length > 0) {
      const childSource = isPair(pair) ? pair.value : undefined;
      if (isMap(childSource) && childSource.flow)
        return { key, description, value: child, flow: true };
      return { key, description, children: treeFromSource(child, childSource, fallback, keyPath) };
    }
    return { key, description, value: child };
  });
}

/**
 * The child mapping called `key`, created (with `description`) when missing or null; a
 * mapping printed as one value (flow style) is opened into documented keys (`fallback`
 * describes them). Undefined when the key holds a scalar or a list: nothing can go below it.
 */
export function childOf(
  nodes: VNode[],
  key: string,
  description: string,
  fallback: (path: string[]) => string = () => "",
): VNode | undefined {
  let node = nodes.find((n) => n.key === key);
  if (!node) {
    node = { key, description, children: [] };
    nodes.push(node);
  }
  if (node.children) return node;
  const value = node.value;
  if (value !== undefined && value !== null && !isPlainMap(value)) return undefined;
  node.children = value ? treeFromSource(value, undefined, fallback) : [];
  delete node.value;
  delete node.flow;
  return node;
}

function toYamlMap(doc: Document, nodes: VNode[], top: boolean): YAMLMap {
  const map = new YAMLMap();
  nodes.forEach((n, i) => {
    const key = doc.createNode(n.key) as Scalar;
    if (n.description) key.commentBefore = formatComment(n.description);
    if (top && i > 0) key.spaceBefore = true;
    const value = n.children ? toYamlMap(doc, n.children, false) : doc.createNode(n.value ?? null);
    if (n.flow && isCollection(value)) value.flow = true;
    if (isSeq(value) && value.items.length === 0) value.flow = true;
    map.items.push(new Pair(key, value));
  });
  return map;
}

/** helm-docs comment lines: ` -- first line`, then the rest; no text can leave the comment. */
function formatComment(description: string): string {
  return yamlComment(description)
    .split("\n")
    .map((l, i) => (i === 0 ? ` -- ${l}` : ` ${l}`))
    .join("\n");
}

/** values.yaml text of a tree, `header` as its leading comment. */
export function treeToYaml(nodes: VNode[], header: string): string {
  const doc = new Document(null, YAML_OPTIONS);
  doc.contents = toYamlMap(doc, nodes, true) as unknown as typeof doc.contents;
  doc.commentBefore = yamlComment(header)
    .split("\n")
    .map((l) => (l ? ` ${l}` : ""))
    .join("\n");
  return yamlText(doc, YAML_TO_STRING);
}

/** A leaf's type as helm-docs names it. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "string";
  if (Array.isArray(value)) return "list";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "object") return "object";
  return "string";
}

/** One row of a values reference: a leaf, or a mapping documented as a whole. */
export interface ValueRow {
  key: string;
  type: string;
  default: unknown;
  description: string;
}

/** Every documented key, depth first, as helm-docs lists them. */
export function flattenTree(nodes: VNode[], prefix = ""): ValueRow[] {
  return nodes.flatMap((n) => {
    const key = prefix ? `${prefix}.${n.key}` : n.key;
    if (n.children) {
      return n.children.length > 0
        ? flattenTree(n.children, key)
        : [{ key, type: "object", default: {}, description: n.description }];
    }
    return [{ key, type: typeName(n.value), default: n.value ?? null, description: n.description }];
  });
}
