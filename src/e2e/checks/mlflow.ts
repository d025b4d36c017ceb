/**
 * MLflow (live), through the Host a notebook uses (`mlflow.<ns>.svc`, resolved to the reached
 * loopback port by the check's own lookup), so MLflow 3's allowed-hosts protection judges the
 * real name:
 * - mlflow-tracking: create an experiment, a run, log a parameter and a metric, read both back,
 *   delete the experiment;
 * - mlflow-run-kept (upgrade): a run written before the upgrade is read back after it.
 */
import { randomBytes } from "node:crypto";
import { type HttpAnswer, httpCall, jsonOf } from "../access/http.js";
import {
  type Check,
  type CheckOutcome,
  type CheckTarget,
  servicesOf,
  type UpgradeCheck,
} from "./check.js";
import { reachWired, type WiredEndpoint } from "./wired.js";

const KEY = "MLFLOW_TRACKING_URI";

/** A reason for an answer that is not a success, saying what to do about it. */
export function refusal(a: HttpAnswer, what: string, host: string): string {
  const body = a.text.trim().slice(0, 200);
  if (a.status === 403) {
    return `MLflow refused ${what} for Host ${host} (HTTP 403: ${body}); add the host to the mlflow values' serverAllowedHosts (MLFLOW_SERVER_ALLOWED_HOSTS) in stack.yaml`;
  }
  return `MLflow answered ${what} with HTTP ${a.status}: ${body}`;
}

/** The MLflow REST API at a wired endpoint. */
class Api {
  constructor(
    private readonly t: CheckTarget,
    readonly e: WiredEndpoint,
  ) {}

  async call<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
    const a = await httpCall(`${this.e.url}/api/2.0/mlflow/${route}`, {
      method,
      ...(body === undefined ? {} : { body }),
      signal: this.t.signal,
      lookup: (h) => servicesOf(this.t).lookup(h),
    });
    if (a.status !== 200)
      throw new Error(refusal(a, `${method} ${route}`, new URL(this.e.url).host));
    return jsonOf<T>(a, `${method} ${route}`);
  }
}

interface RunData {
  data?: { params?: { key: string; value: string }[]; metrics?: { key: string; value: number }[] };
}

/** Writes an experiment with one run, a parameter and a metric; what was written. */
async function write(api: Api, tag: string) {
  const name = `shoppe-check-${tag}-${randomBytes(4).toString("hex")}`;
  const { experiment_id } = await api.call<{ experiment_id: string }>(
    "POST",
    "experiments/create",
    { name },
  );
  const { run } = await api.call<{ run: { info: { run_id: string } } }>("POST", "runs/create", {
    experiment_id,
    start_time: Date.now(),
  });
  const runId = run.info.run_id;
  const param = randomBytes(6).toString("hex");
  const metric = Math.round(Math.random() * 1e6) / 1e3;
  await api.call("POST", "runs/log-parameter", {
    run_id: runId,
    key: "shoppe-check",
    value: param,
  });
  await api.call("POST", "runs/log-metric", {
    run_id: runId,
    key: "shoppe-metric",
    value: metric,
    timestamp: Date.now(),
    step: 0,
  });
  return { name, experiment_id, runId, param, metric };
}

/** Reads the run back; a reason when it differs. */
async function readBack(
  api: Api,
  w: { runId: string; param: string; metric: number },
): Promise<string | undefined> {
  const { run } = await api.call<{ run: RunData }>(
    "GET",
    `runs/get?run_id=${encodeURIComponent(w.runId)}`,
  );
  const param = run.data?.params?.find((p) => p.key === "shoppe-check")?.value;
  const metric = run.data?.metrics?.find((m) => m.key === "shoppe-metric")?.value;
  if (param !== w.param)
    return `run ${w.runId}: parameter shoppe-check is ${param ?? "missing"}, ${w.param} was logged`;
  if (metric !== w.metric)
    return `run ${w.runId}: metric shoppe-metric is ${metric ?? "missing"}, ${w.metric} was logged`;
  return undefined;
}

async function open(t: CheckTarget): Promise<Api> {
  return new Api(t, await reachWired(t, KEY));
}

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const api = await open(t);
  const evidence = [
    `${KEY}=${api.e.value} reached through ${servicesOf(t).via}, Host ${new URL(api.e.url).host}`,
  ];
  const w = await write(api, "smoke");
  evidence.push(
    `experiment ${w.name} (${w.experiment_id}), run ${w.runId}: parameter and metric logged`,
  );
  const problem = await readBack(api, w);
  await api.call("POST", "experiments/delete", { experiment_id: w.experiment_id });
  evidence.push(`experiment ${w.experiment_id} deleted`);
  if (problem) return { status: "failed", reason: problem, evidence };
  evidence.push("parameter and metric read back as logged");
  return { status: "passed", evidence };
}

/** See the module comment. */
export const mlflowTracking: Check = {
  name: "mlflow-tracking",
  component: "mlflow",
  description:
    "create an experiment, log a parameter and a metric, read them back, delete it (Host: the in-cluster name)",
  needs: ["live-service"],
  run,
};

/** What mlflow-run-kept wrote before the upgrade. */
interface Written {
  name: string;
  experiment_id: string;
  runId: string;
  param: string;
  metric: number;
}

/** See the module comment. */
export const mlflowRunKept: UpgradeCheck<Written> = {
  name: "mlflow-run-kept",
  component: "mlflow",
  description: "a run written through MLflow before the upgrade is read back after it",
  needs: ["live-service"],
  before: async (t) => write(await open(t), "upgrade"),
  after: async (t, w) => {
    const api = await open(t);
    const evidence = [`run ${w.runId} of experiment ${w.name} written before the upgrade`];
    const problem = await readBack(api, w).catch((err: Error) => err.message);
    if (problem) return { status: "failed", reason: `after the upgrade: ${problem}`, evidence };
    evidence.push("its parameter and metric read back after the upgrade");
    return { status: "passed", evidence };
  },
};
