/** The JSON Schema of stack.yaml, derived from the zod model so the two cannot drift. */
import * as z from "zod";
import { StackSchema } from "./schema.js";

/** Where the committed schema lives, relative to the project root. */
export const STACK_SCHEMA_FILE = "schema/stack.schema.json";

/** The schema as the bytes committed to the repository (stable key order, trailing newline). */
export function stackJsonSchemaText(): string {
  const schema = z.toJSONSchema(StackSchema, { io: "input", target: "draft-2020-12" });
  const withId = {
    $id: "https://coffea-casa.io/schemas/shoppe/stack.schema.json",
    title: "Coffea Shoppe stack manifest",
    ...schema,
  };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
