/**
 * The manifest as data, before the schema reads it: no key is `__proto__` or `<<`, no string (key
 * or value, anywhere, chart values included) holds a character a chart cannot carry, and every
 * value is plain JSON data (no NaN or infinity, nothing a YAML 1.1 tag turns into an object). All
 * are refused with positions here because later stages would lose them silently: zod, like
 * every JavaScript object write, drops a `__proto__` key; YAML 1.1 readers (helm) merge at a
 * `<<` key, which the yaml library writes bare; and they turn U+2028 into a line break.
 */
import type { Diagnostic } from "../errors.js";
import { type DocPath, formatPath, type PositionedDocument } from "./positions.js";
import { forbiddenCharacter, quote } from "./text.js";

/** More findings than this say the file is not a manifest; the first ones are enough. */
const MAX_FINDINGS = 50;

/** A node still to visit, with the path to it as a chain (no array copy per node). */
interface Pending {
  value: unknown;
  parent: Pending | undefined;
  step: string | number | undefined;
}

function pathOf(p: Pending): (string | number)[] {
  const out: (string | number)[] = [];
  for (let cur: Pending | undefined = p; cur?.step !== undefined; cur = cur.parent) {
    out.push(cur.step);
  }
  return out.reverse();
}

function keyProblem(key: string): string | undefined {
  if (key === "__proto__") {
    return `${quote(key)} cannot be a key: JavaScript readers of this file (this tool, editors' schema checks) take it for the object's prototype and drop it; rename it`;
  }
  if (key === "<<") {
    return `${quote(key)} cannot be a key: YAML 1.1 readers such as helm take it for a merge of the mapping below it; rename it or write the merged keys out`;
  }
  const bad = forbiddenCharacter(key);
  return bad === undefined ? undefined : `the key ${quote(key)} ${bad}`;
}

/**
 * Why a value is not data a chart can carry, or undefined. Helm converts values to JSON
 * before anything reads them, and a chart of this tool is written as YAML, so a value must be
 * JSON data: NaN and infinities (`.nan`, `.inf`, `1e999`) make helm refuse the whole chart,
 * and what the YAML 1.1 tags `!!binary`, `!!timestamp`, `!!set` and `!!omap` make of a value
 * (bytes, a date, a set, an ordered map) would be written back as something else.
 */
function notPlainData(v: unknown): string | undefined {
  if (typeof v === "number" && !Number.isFinite(v)) {
    return `${v} is not a number helm can load (it converts values to JSON, which has no NaN or infinity); write a finite number, or quote it as text`;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return undefined;
  const tag =
    v instanceof Date
      ? "!!timestamp"
      : v instanceof Set
        ? "!!set"
        : v instanceof Map
          ? "!!omap"
          : "!!binary";
  return `a ${tag} value is not plain data (text, a number, true/false, null, a list or a mapping); remove the tag, and quote the value if it should be text`;
}

/** Every `__proto__` or `<<` key and forbidden character in the parsed document, with positions. */
export function dataProblems(value: unknown, doc: PositionedDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: DocPath, message: string, key?: string) => {
    out.push({
      position: doc.locate(path, key),
      path: formatPath(key ? [...path, key] : path),
      message,
    });
  };
  // Iterative, so a deeply nested document cannot overflow the call stack; each object once,
  // as aliases share (and a recursive alias is) one object.
  const seen = new Set<object>();
  const pending: Pending[] = [{ value, parent: undefined, step: undefined }];
  while (pending.length > 0 && out.length < MAX_FINDINGS) {
    const node = pending.pop() as Pending;
    const v = node.value;
    if (typeof v === "string") {
      const bad = forbiddenCharacter(v);
      if (bad !== undefined) report(pathOf(node), `${quote(v)} ${bad}`);
      continue;
    }
    const unplain = notPlainData(v);
    if (unplain !== undefined) {
      report(pathOf(node), unplain);
      continue;
    }
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.keys(v).flatMap((key) => {
          const bad = keyProblem(key);
          if (bad === undefined) return [[key, (v as Record<string, unknown>)[key]]];
          report(pathOf(node), bad, key);
          return [];
        });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [step, child] = entries[i] as [string | number, unknown];
      pending.push({ value: child, parent: node, step });
    }
  }
  return out;
}
