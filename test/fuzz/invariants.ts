/**
 * The invariants every fuzz case asserts: exit 0, 1 or 2, no `internal error:`, no stack trace,
 * nothing printed past the CLI's own output; nothing changed, or only what render owns in its
 * output directory; a rendered chart helm can load.
 */
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { RENDER_OWNER } from "../../src/chart/writer.js";
import type { CliRun } from "../helpers/cli.js";
import { changedKeys, isUnder } from "./sandbox.js";

/** A snapshot of the sandbox (sandbox.ts). */
export type Snapshot = Record<string, string>;

/** A broken invariant; the property adds the input to its message. */
export class InvariantError extends Error {}

/** Throws an InvariantError. */
export function fail(message: string): never {
  throw new InvariantError(message);
}

/** A command's outcome for a failure message. */
export function show(what: string, run: CliRun): string {
  return `${what} exited ${run.code}\n--- stdout\n${run.stdout.slice(0, 2000)}\n--- stderr\n${run.stderr.slice(0, 4000)}`;
}

/**
 * Exit 0, 1 or 2; no internal error; no stack trace (there is no --verbose); nothing printed
 * past the CLI's own sinks (a library's warning on the process's stderr).
 */
export function expectSane(what: string, run: CliRun & { stray?: string }): void {
  if (![0, 1, 2].includes(run.code)) fail(`exit code outside {0, 1, 2}: ${show(what, run)}`);
  if (run.stderr.includes("internal error:")) fail(`internal error: ${show(what, run)}`);
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(run.stderr)) fail(`a stack trace: ${show(what, run)}`);
  if (run.stray)
    fail(`printed past the CLI's output: ${run.stray.slice(0, 2000)}\n${show(what, run)}`);
}

/** Exit `code` (when one is expected). */
export function expectCode(what: string, run: CliRun, code: number | undefined): void {
  if (code !== undefined && run.code !== code) fail(`expected exit ${code}: ${show(what, run)}`);
}

/** Nothing in the sandbox changed. */
export function expectUnchanged(what: string, before: Snapshot, after: Snapshot): void {
  const changed = changedKeys(before, after);
  if (changed.length > 0) fail(`${what} changed ${changed.slice(0, 20).join(", ")}`);
}

/**
 * Only entries under `outKey` (and its missing parents, created) changed, and there only what
 * render owns: an entry not listed in the marker found before the run (`listed`) is
 * byte-identical afterwards.
 */
export function expectOnlyOwnedWrites(
  what: string,
  before: Snapshot,
  after: Snapshot,
  outKey: string,
  listed: readonly string[],
): void {
  const changed = changedKeys(before, after);
  // A missing directory is created with its missing parents.
  const parent = (k: string) => !(k in before) && k.endsWith("/") && `${outKey}/`.startsWith(k);
  const outside = changed.filter((k) => !isUnder(k, outKey) && !parent(k));
  if (outside.length > 0) {
    fail(`${what} wrote outside ${outKey}: ${outside.slice(0, 20).join(", ")}`);
  }
  const owned = new Set([RENDER_OWNER.marker, ...listed]);
  const lost = changed.filter(
    (k) =>
      k in before &&
      !k.endsWith("/") &&
      isUnder(k, outKey) &&
      !owned.has(k.slice(outKey.length + 1)),
  );
  if (lost.length > 0)
    fail(`${what} changed what it did not write: ${lost.slice(0, 20).join(", ")}`);
}

/** Why `v` is not JSON data (what helm turns values into), or undefined. */
function notJson(v: unknown, at: string): string | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? undefined : `${at}: ${v}`;
  if (typeof v !== "object" || v === null) return undefined;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null)
    return `${at}: a ${proto?.constructor?.name}`;
  for (const [k, item] of Object.entries(v)) {
    const bad = notJson(item, `${at}.${k}`);
    if (bad) return bad;
  }
  return undefined;
}

/** The rendered chart's YAML files parse, as JSON data, and its values schema is JSON. */
export async function expectLoadableChart(dir: string, files: readonly string[]): Promise<void> {
  for (const rel of files) {
    const text = await readFile(path.join(dir, rel), "utf8");
    if (rel.endsWith(".json")) {
      try {
        JSON.parse(text);
      } catch (err) {
        fail(`the rendered ${rel} is not JSON: ${(err as Error).message}`);
      }
    }
    if (!rel.endsWith(".yaml") || rel.startsWith("templates/")) continue;
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) fail(`the rendered ${rel} is not YAML: ${doc.errors[0]?.message}`);
    const bad = notJson(doc.toJS({ maxAliasCount: -1 }), rel);
    if (bad) fail(`the rendered ${rel} holds what helm cannot load: ${bad}`);
  }
}

/** The files the render marker in `dir` lists; [] when there is none or it is not one. */
export async function markerListed(dir: string): Promise<string[]> {
  const marker = path.join(dir, RENDER_OWNER.marker);
  try {
    // Only a regular file: a case may have made the marker a FIFO, which a read blocks on.
    if (!(await lstat(marker)).isFile()) return [];
    const doc = JSON.parse(await readFile(marker, "utf8"));
    return Array.isArray(doc?.files) ? doc.files.filter((f: unknown) => typeof f === "string") : [];
  } catch {
    return [];
  }
}
