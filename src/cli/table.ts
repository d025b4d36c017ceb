/** Plain text tables for human output (no colour codes, so logs and golden files stay clean). */
import { createRequire } from "node:module";

// cli-table3 is CommonJS: required on the first table, so commands that print none (and
// `--version`, `--help`) never load it.
const requireCjs = createRequire(import.meta.url);
type TableCtor = typeof import("cli-table3");

/** Renders rows under a header as a boxed table. */
export function renderTable(head: string[], rows: (string | number)[][]): string {
  const Table = requireCjs("cli-table3") as TableCtor;
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}
