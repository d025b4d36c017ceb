/**
 * The service tier's results: the same results file as every run (schema
 * schema/e2e-results.schema.json), with tier `service`, provider `local`, each component's
 * start and the software that answered (a stand-in named as one), the checks, and a run that
 * passed only when every component started and no check failed.
 */
import type { Context } from "../../context.js";
import type { CheckResult, ComponentResult, E2eResults, Tier } from "../results/model.js";
import { disabledComponents, runStamp } from "../results/shared-parts.js";
import { appendStepSummary, type ResultsDir, runFiles, writeRun } from "../results/write.js";

/** Facts recorded of every run. */
export type RunFacts = Pick<E2eResults, "provider" | "stack" | "chart" | "git" | "tools">;

/** What the run did, for its results. */
export interface ServiceRunOutcome {
  facts: RunFacts;
  profile: string;
  id: string;
  namespace: string;
  started: Date;
  kubeVersion: string;
  results: ResultsDir;
  enabled: Record<string, boolean>;
  components: ComponentResult[];
  checks: CheckResult[];
  upgrade?: E2eResults["upgrade"];
  failure?: string;
  interrupted?: boolean;
}

/** The written run. */
export interface ServiceRun {
  dir: string;
  results: E2eResults;
}

/** Builds and writes the results of a service-tier run. */
export async function serviceResults(ctx: Context, o: ServiceRunOutcome): Promise<ServiceRun> {
  const finished = ctx.now();
  const components = [...o.components, ...disabledComponents(o.enabled, o.profile)];
  const failed =
    o.failure !== undefined ||
    components.some((c) => c.status === "failed" || c.status === "not-run") ||
    o.checks.some((c) => c.status === "failed") ||
    o.upgrade?.status === "failed";
  const launched = o.components.some((c) => c.status === "passed");
  const tier: Tier | undefined = launched ? "service" : undefined;
  const runId = `${runStamp(o.started)}-${o.id}`;
  const results: E2eResults = {
    apiVersion: "shoppe.coffea-casa.io/v1alpha1",
    kind: "E2eResults",
    runId,
    status: o.interrupted ? "interrupted" : failed ? "failed" : "passed",
    ...(o.failure
      ? { reason: o.failure }
      : o.interrupted
        ? { reason: "interrupted by a signal" }
        : {}),
    ...(tier ? { tier } : {}),
    startedAt: o.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - o.started.getTime(),
    ...o.facts,
    kubernetes: { version: o.kubeVersion },
    profile: o.profile,
    namespace: o.namespace,
    release: o.facts.stack.release,
    components,
    checks: o.checks,
    ...(o.upgrade ? { upgrade: o.upgrade } : {}),
    warnings: [],
    teardown: { status: "done", detail: "every local process stopped" },
  };
  const dirName = `${runStamp(o.started)}-local-k${o.kubeVersion}-${o.id}`;
  const dir = await writeRun(o.results, dirName, runFiles(results, undefined));
  await appendStepSummary(ctx.env, results);
  return { dir, results };
}
