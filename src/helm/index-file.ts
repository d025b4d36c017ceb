/**
 * Helm repository index files (`index.yaml`), read without parsing them whole. Published
 * indexes are large (1.7 and 2.3 MB in the upstream mirror, over 20 MB for Bitnami) and a full
 * YAML parse costs most of a second each, while a command needs a handful of entries. Helm writes
 * every index the same way (`entries:` at the top level, chart names indented by two, one list
 * item per version), so the entries asked for are found by scanning the text and only their
 * lines are parsed. Any other layout (flow style, JSON, other indentation) falls back to a full
 * parse, so the answers never depend on which path was taken.
 */
import { stringify } from "yaml";
import { parseKeepingVersions } from "./version-yaml.js";

/** One chart version of an index: its Chart.yaml fields plus `urls`, `digest` and `created`. */
export interface IndexEntry {
  name: string;
  version: string;
  urls?: string[];
  digest?: string;
  [field: string]: unknown;
}

/**
 * The entry with `urls` a list of strings and `digest` a string or absent, whatever the file
 * wrote: callers use both without checking, and a hand-edited index may have anything there.
 */
function withTypedLinks(e: IndexEntry): IndexEntry {
  const raw: unknown = e.urls;
  const urls = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (u): u is string => typeof u === "string",
  );
  const { digest, urls: _urls, ...rest } = e;
  return {
    ...rest,
    ...(urls.length ? { urls } : {}),
    ...(typeof digest === "string" ? { digest } : {}),
  };
}

/** The file name a chart URL points at (`…/servicex-1.5.3.tgz` → `servicex-1.5.3.tgz`). */
export function archiveFileName(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url, "http://relative.invalid/").pathname;
  } catch {
    // Not a URL helm could fetch either; its last segment is still the best guess.
  }
  const last = pathname.split("/").filter(Boolean).at(-1) ?? "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a malformed escape: the name as written
  }
}

/** Where a chart's list sits in the text, and how its items are indented. */
interface Block {
  start: number;
  end: number;
  /** Column of the `-` that starts each item. */
  itemIndent: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A repository index held as text; entries are parsed on demand. */
export class RepositoryIndex {
  private full: Record<string, IndexEntry[]> | undefined;
  private readonly entriesAt: number;

  constructor(
    /** The index's text. */
    readonly text: string,
  ) {
    const m = /^entries:[ \t]*\r?$/m.exec(text);
    // The usual layout: `entries:` alone on its line, its first key indented by exactly two.
    this.entriesAt =
      m && /^\r?\n {2}[^\s-]/.test(text.slice(m.index + m[0].length)) ? m.index + m[0].length : -1;
  }

  /** Whether the fast path applies (helm's own layout); exposed for tests. */
  get scannable(): boolean {
    return this.entriesAt >= 0;
  }

  /** Every entry of the index, parsed whole (the fallback, and for callers that need all). */
  all(): Record<string, IndexEntry[]> {
    if (!this.full) {
      const value = parseKeepingVersions(this.text) as { entries?: Record<string, IndexEntry[]> };
      this.full = value?.entries ?? {};
    }
    return this.full;
  }

  private block(name: string): Block | undefined {
    const key = `(?:${escapeRegExp(name)}|"${escapeRegExp(name)}"|'${escapeRegExp(name)}')`;
    const header = new RegExp(`^ {2}${key}:[ \\t]*\\r?$`, "m");
    const rest = this.text.slice(this.entriesAt);
    const top = /^\S/m.exec(rest.slice(1));
    const limit = top ? this.entriesAt + 1 + top.index : this.text.length;
    const m = header.exec(rest);
    if (!m || this.entriesAt + m.index >= limit) return undefined;
    const start = this.entriesAt + m.index + m[0].length;
    const first = /^( *)- /m.exec(this.text.slice(start, limit));
    const itemIndent = first?.[1]?.length ?? 2;
    // The list ends at the first non-blank line indented less than its items, or level with
    // them without a dash (the next chart's key).
    const next = new RegExp(`^(?! {${itemIndent + 1}}| {${itemIndent}}-|[ \\t]*\\r?$)`, "m");
    const tail = this.text.slice(start + 1, limit);
    const end = next.exec(tail);
    return { start, end: end ? start + 1 + end.index : limit, itemIndent };
  }

  /** Text offsets of the list item for `name` at `version`, if the fast path finds it. */
  locate(name: string, version: string): { start: number; end: number } | undefined {
    if (!this.scannable) return undefined;
    const b = this.block(name);
    if (!b) return undefined;
    const body = this.text.slice(b.start, b.end);
    const dash = `${" ".repeat(b.itemIndent)}- `;
    const field = " ".repeat(b.itemIndent + 2);
    const line = new RegExp(
      `^(?:${dash}|${field})version:[ \\t]*(["']?)${escapeRegExp(version)}\\1[ \\t]*\\r?$`,
      "m",
    );
    const hit = line.exec(body);
    if (!hit) return undefined;
    const itemStart = body.lastIndexOf(`\n${dash}`, hit.index) + 1;
    const after = body.indexOf(`\n${dash}`, hit.index + 1);
    return { start: b.start + itemStart, end: b.start + (after < 0 ? body.length : after + 1) };
  }

  /** The entry for `name` at `version` (the first one, as helm picks), or undefined. */
  entry(name: string, version: string): IndexEntry | undefined {
    if (this.scannable && !this.full) {
      const at = this.locate(name, version);
      if (!at) return undefined;
      const parsed = parseKeepingVersions(this.text.slice(at.start, at.end));
      const item = Array.isArray(parsed) ? (parsed[0] as IndexEntry | undefined) : undefined;
      if (item?.name === name && String(item.version) === version) return withTypedLinks(item);
      // The lines looked like the entry but are not: let the full parse decide.
    }
    const found = this.all()[name];
    const item = Array.isArray(found)
      ? found.find((e) => String(e?.version) === version)
      : undefined;
    return item ? withTypedLinks(item) : undefined;
  }

  /**
   * The versions of a chart in index order, read from its `version:` lines alone: what
   * `shoppe outdated` needs of a many-megabyte index, without parsing a single entry. When the
   * lines do not account for every item of the list, the block is parsed instead.
   */
  versions(name: string): string[] {
    if (this.scannable && !this.full) {
      const b = this.block(name);
      if (!b) return [];
      const body = this.text.slice(b.start, b.end);
      const dash = `${" ".repeat(b.itemIndent)}- `;
      const field = " ".repeat(b.itemIndent + 2);
      const line = new RegExp(
        `^(?:${dash}|${field})version:[ \\t]*(?:"([^"\\\\]*)"|'([^']*)'|([^\\s"'#][^\\s#]*))[ \\t]*\\r?$`,
        "gm",
      );
      const found = [...body.matchAll(line)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
      const items = body.split(`\n${dash}`).length - (body.startsWith(dash) ? 0 : 1);
      if (found.length === items) return found;
    }
    return this.entries(name).map((e) => String(e.version));
  }

  /** Every entry of a chart in index order (its block parsed, not the whole index). */
  entries(name: string): IndexEntry[] {
    if (this.scannable && !this.full) {
      const b = this.block(name);
      if (!b) return [];
      const header = `${JSON.stringify(name)}:`;
      const parsed = parseKeepingVersions(`${header}${this.text.slice(b.start, b.end)}`) as Record<
        string,
        IndexEntry[]
      >;
      const list = parsed?.[name];
      if (Array.isArray(list)) return list;
    }
    return this.all()[name] ?? [];
  }
}

/** An index.yaml holding exactly `entries` (helm's layout), e.g. the pinned versions only. */
export function formatIndex(entries: IndexEntry[], generated?: string): string {
  const byName: Record<string, IndexEntry[]> = {};
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    byName[e.name] ??= [];
    byName[e.name]?.push(e);
  }
  return stringify(
    { apiVersion: "v1", entries: byName, ...(generated ? { generated } : {}) },
    { lineWidth: 0 },
  );
}
