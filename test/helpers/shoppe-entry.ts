/** The CLI entry point (as bin/shoppe.js) run from the TypeScript sources, for spawned tests. */
import { run } from "../../src/cli/main.js";

process.exitCode = await run(process.argv.slice(2));
