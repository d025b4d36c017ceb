/**
 * YAML of helm's own files (Chart.yaml, index.yaml) parsed the way helm reads them: `version`
 * and `appVersion` are strings, so `1.10` stays `1.10` instead of becoming the number 1.1 the
 * YAML core schema would make of it.
 */
import { isPair, isScalar, type Node, parseDocument, visit } from "yaml";

/** Parses `text`; throws the first YAML error. Version fields keep their written form. */
export function parseKeepingVersions(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw doc.errors[0];
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value)) return;
      const key = pair.key.value;
      const value = pair.value as Node & { value: unknown; source?: string };
      if ((key === "version" || key === "appVersion") && typeof value.value !== "string") {
        value.value = value.source ?? String(value.value);
      }
    },
  });
  return doc.toJS({ maxAliasCount: 100 });
}
