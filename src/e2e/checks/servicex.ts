/**
 * servicex-transform (live), at SERVICEX_HOST:
 * - the REST API answers GET /servicex with its code generators (compared with the rendered
 *   app.conf's CODE_GEN_IMAGES when the target knows it) and the raw-uproot one is offered;
 * - its about page reports the chart it was configured by (`servicex-<version>`, compared with
 *   the pin when the target names it);
 * - the real ServiceX client (PyPI `servicex`, scripts/python/servicex-client/transform.py)
 *   submits an UprootRaw query over a one-file list, and the request is read back: accepted,
 *   code generated (its ConfigMap named), one file; the transformer Deployment the app created
 *   is read through the app; the request is cancelled, which the app confirms.
 * Whether transformers then run is the cluster's business: in the service tier their pods are
 * simulated (the launcher records that stand-in), so nothing here claims a delivered file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../package-root.js";
import { type HttpAnswer, httpCall, jsonOf } from "../access/http.js";
import { type Check, type CheckOutcome, type CheckTarget, servicesOf } from "./check.js";
import { reachWired, type WiredEndpoint } from "./wired.js";

/** The client script the check runs (shipped with the project). */
export const CLIENT_SCRIPT = path.join(
  packageRoot(),
  "scripts/python/servicex-client/transform.py",
);

/** What the client script prints. */
export interface ClientReport {
  info: { app_version: string; code_gen_image: Record<string, string>; capabilities: string[] };
  request_id: string;
  status: { status: string; files: number; generated_code_cm: string; image: string };
}

/** A reason for an answer that is not a success. */
function refusal(a: HttpAnswer, what: string): string {
  const body = a.text.trim().slice(0, 300);
  return `ServiceX answered ${what} with HTTP ${a.status}${body ? `: ${body}` : ""}`;
}

/** The last line of a failed client run, and what a person can do about it. */
export function clientProblem(output: string): string {
  const lines = output.trim().split("\n");
  const last = lines.findLast((l) => /^\w+(Error|Exception)\b/.test(l)) ?? lines.at(-1) ?? "";
  const hint = /Connection refused|AMQP|amqp|pika|kombu/i.test(output)
    ? "; is ServiceX's RabbitMQ running?"
    : /no such table|relation .* does not exist/i.test(output)
      ? "; ServiceX's database has no tables (SQLite is never migrated: enable its PostgreSQL)"
      : "";
  return `the ServiceX client's transform request failed: ${last.trim()}${hint}`;
}

async function runClient(t: CheckTarget, e: WiredEndpoint, client: string): Promise<ClientReport> {
  if (!t.runner) throw new Error("no runner for the ServiceX client");
  const url = `http://${e.reached.host}:${e.reached.port}`;
  const xcache = (await servicesOf(t).wiring(t.signal)).XCACHE_URL ?? "root://xcache:1094";
  const file = `${xcache}//store/shoppe-servicex-check.root`;
  // The client may keep a cache and read a config under HOME: a fresh one, removed after.
  const home = await mkdtemp(path.join(os.tmpdir(), "shoppe-servicex-client-"));
  try {
    const r = await t.runner.run(client, [CLIENT_SCRIPT, url, file, "shoppe servicex-transform"], {
      signal: t.signal,
      env: { HOME: home, PYTHONDONTWRITEBYTECODE: "1" },
    });
    return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as ClientReport;
  } catch (err) {
    const out = (err as { output?: string }).output;
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || /ENOENT/.test(String(err)))
      throw new Error(
        `the ServiceX client is not installed (${client}): run scripts/install-tools servicex`,
      );
    throw new Error(clientProblem(out ?? String(err)));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const e = await reachWired(t, "SERVICEX_HOST");
  const lookup = (h: string) => servicesOf(t).lookup(h);
  const get = (route: string) => httpCall(`${e.url}${route}`, { signal: t.signal, lookup });
  const params = await servicesOf(t).params("servicex", t.signal);
  const evidence = [`SERVICEX_HOST=${e.value} reached through ${servicesOf(t).via}`];
  const fail = (reason: string): CheckOutcome => ({ status: "failed", reason, evidence });

  const infoAnswer = await get("/servicex");
  if (infoAnswer.status !== 200) return fail(refusal(infoAnswer, "GET /servicex"));
  const info = jsonOf<{ "app-version"?: string; "code-gen-image"?: Record<string, string> }>(
    infoAnswer,
    "GET /servicex",
  );
  const generators = info["code-gen-image"] ?? {};
  evidence.push(
    `GET /servicex: app-version ${info["app-version"] ?? "?"}, code generators ${Object.keys(generators).join(", ")}`,
  );
  if (params.codeGenImages) {
    const want = JSON.parse(params.codeGenImages) as Record<string, string>;
    if (
      JSON.stringify(Object.entries(want).sort()) !==
      JSON.stringify(Object.entries(generators).sort())
    )
      return fail(
        `ServiceX serves the code generators ${JSON.stringify(generators)}, the rendered app.conf configures ${JSON.stringify(want)}`,
      );
    evidence.push("code generators as the rendered app.conf configures them");
  }
  if (!generators["uproot-raw"])
    return fail(
      "ServiceX offers no uproot-raw code generator: enable codeGen.uproot-raw in its values",
    );

  const about = await get("/about");
  const chart = /ServiceX version:\s*(\S+?)\s*</.exec(about.text)?.[1];
  if (about.status !== 200 || !chart) return fail(refusal(about, "GET /about (its version)"));
  evidence.push(`GET /about: ServiceX version ${chart}`);
  if (params.version && chart !== `servicex-${params.version}`)
    return fail(`ServiceX reports version ${chart}; stack.yaml pins servicex-${params.version}`);

  const report = await runClient(t, e, params.client ?? "servicex-client-python");
  const s = report.status;
  evidence.push(
    `the servicex client submitted request ${report.request_id} (UprootRaw, one file): status ${s.status}, ${s.files} file(s), code in ConfigMap ${s.generated_code_cm}, transformer image ${s.image}`,
  );
  if (/^(Failed|Canceled)$/i.test(s.status) || s.files !== 1 || !s.generated_code_cm)
    return fail(
      `ServiceX accepted request ${report.request_id} but reports status ${s.status} with ${s.files} file(s)${s.generated_code_cm ? "" : " and no generated code"}`,
    );
  const route = `/servicex/transformation/${encodeURIComponent(report.request_id)}`;
  const deployment = await get(`${route}/deployment-status`);
  if (deployment.status === 200) {
    const d = jsonOf<{ replicas?: number; ready_replicas?: number } | null>(
      deployment,
      "deployment-status",
    );
    evidence.push(
      d
        ? `transformer Deployment transformer-${report.request_id}: ${d.ready_replicas ?? 0}/${d.replicas ?? 0} ready (as the cluster reports them)`
        : "no transformer Deployment reported",
    );
  }
  const cancel = await get(`${route}/cancel`);
  if (cancel.status !== 200) return fail(refusal(cancel, `GET ${route}/cancel`));
  const after = jsonOf<{ status?: string }>(await get(route), `GET ${route}`);
  evidence.push(`request cancelled: status ${after.status ?? "?"}`);
  if (after.status !== "Canceled")
    return fail(`ServiceX did not cancel request ${report.request_id}: status ${after.status}`);
  return { status: "passed", evidence };
}

/** See the module comment. */
export const servicexTransform: Check = {
  name: "servicex-transform",
  component: "servicex",
  description:
    "REST API, version and code generators; the servicex client submits a transform request, reads it back, and it is cancelled",
  needs: ["live-service"],
  run,
};
