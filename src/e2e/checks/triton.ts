/**
 * triton-inference (live), over the KServe v2 HTTP protocol at TRITON_URL: the server is live
 * and ready, the project's tiny model (`charts/triton/models/shoppe-add`, Python backend on
 * CPU) is loaded through the model repository API (the chart's `explicit` control mode; a
 * target may name a model it already serves instead), reports ready, and one inference adds
 * two vectors correctly. The model stays loaded: unloading it leaves it UNAVAILABLE, and a
 * server started with --strict-readiness (the chart's default) then reports not ready, which
 * would fail the pod's readiness probe.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { packageRoot } from "../../package-root.js";
import { httpCall, jsonOf } from "../access/http.js";
import { type Check, type CheckOutcome, type CheckTarget, servicesOf } from "./check.js";
import { reachWired } from "./wired.js";

/** The model the project ships (a repository the chart's values can point at). */
export const MODEL_DIR = path.join(packageRoot(), "charts/triton/models/shoppe-add");
const MODEL = "shoppe-add";

/** shoppe-add's configuration, as the repository API takes it (JSON of config.pbtxt). */
const CONFIG = {
  name: MODEL,
  backend: "python",
  max_batch_size: 0,
  input: [
    { name: "INPUT0", data_type: "TYPE_FP32", dims: [4] },
    { name: "INPUT1", data_type: "TYPE_FP32", dims: [4] },
  ],
  output: [{ name: "OUTPUT0", data_type: "TYPE_FP32", dims: [4] }],
};

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const e = await reachWired(t, "TRITON_URL");
  const lookup = (h: string) => servicesOf(t).lookup(h);
  const get = (route: string) => httpCall(`${e.url}${route}`, { signal: t.signal, lookup });
  const post = (route: string, body: unknown) =>
    httpCall(`${e.url}${route}`, { method: "POST", body, signal: t.signal, lookup });
  const evidence = [`TRITON_URL=${e.value} reached through ${servicesOf(t).via}`];
  for (const probe of ["live", "ready"]) {
    const a = await get(`/v2/health/${probe}`);
    if (a.status !== 200)
      return {
        status: "failed",
        reason: `Triton is not ${probe} (GET /v2/health/${probe}: HTTP ${a.status})`,
        evidence,
      };
    evidence.push(`server ${probe}`);
  }
  const meta = jsonOf<{ version?: string }>(await get("/v2"), "GET /v2");
  evidence.push(`server metadata: version ${meta.version ?? "unknown"}`);
  const named = (await servicesOf(t).params("triton", t.signal)).model;
  const model = named ?? MODEL;
  if (!named) {
    const file = await readFile(path.join(MODEL_DIR, "1", "model.py"));
    const load = await post(`/v2/repository/models/${MODEL}/load`, {
      parameters: { config: JSON.stringify(CONFIG), "file:1/model.py": file.toString("base64") },
    });
    if (load.status !== 200) {
      return {
        status: "failed",
        reason: `Triton could not load ${MODEL}: HTTP ${load.status}: ${load.text.slice(0, 300)}`,
        evidence,
      };
    }
    evidence.push(`model ${MODEL} loaded through the repository API`);
  }
  const ready = await get(`/v2/models/${encodeURIComponent(model)}/ready`);
  if (ready.status !== 200) {
    return {
      status: "failed",
      reason: `model ${model} is not ready (HTTP ${ready.status}${ready.text ? `: ${ready.text.slice(0, 200)}` : ""}): load it into the model repository`,
      evidence,
    };
  }
  evidence.push(`model ${model} ready`);
  const a = [1, 2, 3, 4];
  const b = [10, 20, 30, 40];
  const infer = await post(`/v2/models/${encodeURIComponent(model)}/infer`, {
    inputs: [
      { name: "INPUT0", shape: [4], datatype: "FP32", data: a },
      { name: "INPUT1", shape: [4], datatype: "FP32", data: b },
    ],
  });
  if (infer.status !== 200)
    return {
      status: "failed",
      reason: `inference on ${model} failed: HTTP ${infer.status}: ${infer.text.slice(0, 200)}`,
      evidence,
    };
  const out = jsonOf<{ outputs?: { name: string; data: number[] }[] }>(
    infer,
    "infer",
  ).outputs?.find((o) => o.name === "OUTPUT0")?.data;
  const want = a.map((x, i) => x + (b[i] as number));
  if (JSON.stringify(out) !== JSON.stringify(want)) {
    return {
      status: "failed",
      reason: `inference on ${model} returned ${JSON.stringify(out)}, expected ${JSON.stringify(want)}`,
      evidence,
    };
  }
  evidence.push(`inference: [${a}] + [${b}] = [${out}]`);
  return { status: "passed", evidence };
}

/** See the module comment. */
export const tritonInference: Check = {
  name: "triton-inference",
  component: "triton",
  description:
    "server live and ready, the shipped model loaded and ready, one inference checked (KServe v2 HTTP)",
  needs: ["live-service"],
  run,
};
