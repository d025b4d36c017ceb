/**
 * The worker thread of parse-timer.ts: builds each requested document, parses it as a
 * manifest and reports how long the parse alone took and how it ended.
 */
import { parentPort } from "node:worker_threads";
import { InputError } from "../../src/errors.js";
import { parseYamlText } from "../../src/manifest/parse.js";
import { MANIFEST_LIMITS } from "../../src/manifest/yaml-bounded.js";
import type { TimingRequest, TimingResult } from "./parse-timer.js";
import { largestAccepted, ordinaryManifest, SHAPES } from "./yaml-shapes.js";

function build(request: TimingRequest): string {
  const { shape, bytes } = request;
  if (shape === undefined) return ordinaryManifest(bytes);
  if (request.full) return (SHAPES[shape] as (b: number) => string)(bytes);
  return largestAccepted(shape, bytes, MANIFEST_LIMITS.maxTokens);
}

parentPort?.on("message", (request: TimingRequest) => {
  const text = build(request);
  const start = performance.now();
  let outcome = "parsed";
  try {
    parseYamlText(text, "f.yaml");
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const d = err.diagnostics[0];
    outcome = d ? `${d.position?.line}:${d.position?.col}: ${d.message}` : err.message;
  }
  const result: TimingResult = { ms: performance.now() - start, bytes: text.length, outcome };
  parentPort?.postMessage(result);
});
