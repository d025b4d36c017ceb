/**
 * Writes schema/stack.schema.json, schema/stack-lock.schema.json and
 * schema/e2e-results.schema.json from their zod models (`npm run schema`). The committed files
 * are what editors read through the first line of stack.yaml and stack.lock, and what e2e
 * results are validated against; a test fails when one is stale.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { E2E_RESULTS_SCHEMA_FILE, e2eResultsSchemaText } from "../src/e2e/results/model.js";
import { STACK_SCHEMA_FILE, stackJsonSchemaText } from "../src/manifest/json-schema.js";
import { CHANGES_SCHEMA_FILE, releaseChangesJsonSchemaText } from "../src/release/changes-file.js";
import { LOCK_SCHEMA_FILE, lockJsonSchemaText } from "../src/updates/lock.js";

const root = path.resolve(import.meta.dirname, "..");
for (const [name, text] of [
  [STACK_SCHEMA_FILE, stackJsonSchemaText()],
  [LOCK_SCHEMA_FILE, lockJsonSchemaText()],
  // The results `shoppe e2e run` writes (src/e2e/results/model.ts).
  [E2E_RESULTS_SCHEMA_FILE, e2eResultsSchemaText()],
] as const) {
  const file = path.join(root, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stderr.write(`wrote ${name}\n`);
}
// The artifacthub.io/changes release cut records (src/release/changes-file.ts).
await writeFile(path.join(root, CHANGES_SCHEMA_FILE), releaseChangesJsonSchemaText());
process.stderr.write(`wrote ${CHANGES_SCHEMA_FILE}\n`);
