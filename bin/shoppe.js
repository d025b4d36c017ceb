#!/usr/bin/env node
// The published entry point: the compiled CLI from dist/ (built by `npm install` via `prepare`).
import { run } from "../dist/cli/main.js";

process.exitCode = await run(process.argv.slice(2));
