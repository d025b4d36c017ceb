/**
 * Writes schema/stack.schema.json from the zod model (`npm run schema`). The committed file
 * is what editors read through stack.yaml's first line; a test fails when it is stale.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { STACK_SCHEMA_FILE, stackJsonSchemaText } from "../src/manifest/json-schema.js";

const root = path.resolve(import.meta.dirname, "..");
const file = path.join(root, STACK_SCHEMA_FILE);
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, stackJsonSchemaText());
process.stderr.write(`wrote ${STACK_SCHEMA_FILE}\n`);
