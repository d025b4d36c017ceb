/** Plain text tables for human output (no colour codes, so logs and golden files stay clean). */
import Table from "cli-table3";

/** Renders rows under a header as a boxed table. */
export function renderTable(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}
