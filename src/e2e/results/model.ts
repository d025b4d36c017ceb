/**
 * The results of one `shoppe e2e run`: the zod model is the one definition; the TypeScript
 * types and the committed JSON Schema (schema/e2e-results.schema.json) derive from it. The
 * compatibility badge and the release notes read these files, so a result never claims more
 * than what ran: `tier` is absent unless the chart was installed, it is `cluster` only when
 * real containers were seen running, and a check that did not reach its service is `skipped`
 * or `not-run`, never `passed`.
 */
import * as z from "zod";

/** Outcome of one component, check or step. */
export const Status = z
  .enum(["passed", "failed", "skipped", "not-run"])
  .describe(
    "passed: ran and succeeded; failed: ran and failed; skipped: deliberately not run, with the reason (e.g. pods are simulated); not-run: never reached (an earlier failure, an interrupt, a version the provider cannot run)",
  );

/** How much of the real thing a run exercised, lowest first. */
export const Tier = z
  .enum(["static", "control-plane", "service", "cluster"])
  .describe(
    "static: lint and template only; control-plane: installed on a real API server with simulated pods (kwok); service: smoke checks passed against the real service software; cluster: real pods in kind or an existing cluster",
  );

const isoTime = z.iso.datetime().describe("ISO 8601 UTC time");
const duration = z.number().int().nonnegative().describe("milliseconds");

/** A workload of a component, as the readiness watch last saw it. */
const Workload = z.strictObject({
  kind: z.string(),
  name: z.string(),
  ready: z.boolean(),
  detail: z.string().describe("e.g. 1/1 ready, or what keeps it from being ready"),
});

/** The software that answered for a component in the service tier, beside its pin. */
const Software = z
  .strictObject({
    name: z.string().describe("what ran, and where it came from: mlflow (PyPI), xrootd (Debian)"),
    pinned: z.string().describe("the version stack.yaml pins"),
    answered: z.string().optional().describe("the version the running server reported"),
    match: z.boolean().describe("answered is the pinned version; false records a mismatch"),
    standIn: z
      .string()
      .optional()
      .describe(
        "set when this is a stand-in for the real software, with why: never the real service",
      ),
    note: z.string().optional(),
  })
  .describe("Software that answered (service tier)");

/** Readiness of one component. */
export const ComponentResult = z
  .strictObject({
    id: z.string().describe("component id of stack.yaml"),
    status: Status,
    reason: z.string().optional().describe("why it failed, skipped or was not run"),
    durationMs: duration.optional().describe("from the install to ready (or to the failure)"),
    firstProblemAt: isoTime.optional().describe("when a problem was first seen"),
    workloads: z.array(Workload),
    software: z
      .array(Software)
      .optional()
      .describe("service tier: each program that answered for the component"),
  })
  .describe("A component's readiness");

/** One check's outcome. */
export const CheckResult = z
  .strictObject({
    name: z.string(),
    component: z.string().describe("component id, or integration"),
    phase: z.enum(["smoke", "upgrade"]),
    needs: z.array(z.enum(["api", "live-service"])),
    status: Status,
    reason: z.string().optional(),
    durationMs: duration,
    evidence: z.array(z.string()).describe("what the check saw"),
  })
  .describe("A check's outcome");

/** A Warning event seen during the run. */
const WarningEvent = z.strictObject({
  at: isoTime,
  object: z.string().describe("Kind/name"),
  component: z.string().optional(),
  reason: z.string(),
  message: z.string(),
  count: z.number().int().positive(),
});

/** The results file of one run (one Kubernetes version). */
export const E2eResultsSchema = z
  .strictObject({
    apiVersion: z.literal("shoppe.coffea-casa.io/v1alpha1"),
    kind: z.literal("E2eResults"),
    runId: z.string(),
    status: z.enum(["passed", "failed", "interrupted", "not-run"]).describe("the run as a whole"),
    reason: z.string().optional(),
    tier: Tier.optional().describe("absent when the chart was never installed"),
    startedAt: isoTime,
    finishedAt: isoTime,
    durationMs: duration,
    provider: z.strictObject({
      name: z.string(),
      chosenBecause: z.string().describe("the flag, or why detection picked it"),
      runsContainers: z.boolean(),
      realControlPlane: z.boolean(),
    }),
    kubernetes: z.strictObject({
      version: z.string().describe("the version of stack.yaml this run stands for"),
      served: z.string().optional().describe("what the API server reported"),
      nodeImage: z.string().optional(),
    }),
    profile: z.string(),
    namespace: z.string().optional(),
    release: z.string().optional(),
    stack: z.strictObject({
      file: z.string(),
      digest: z.string().describe("sha256 of stack.yaml's bytes"),
      release: z.string(),
      version: z.string(),
    }),
    chart: z.strictObject({
      name: z.string(),
      version: z.string(),
      dependencies: z.array(
        z.strictObject({
          component: z.string(),
          chart: z.string(),
          version: z.string(),
          substitute: z.string().optional().describe("why a substitute archive stood in"),
        }),
      ),
    }),
    git: z
      .strictObject({ commit: z.string(), dirty: z.boolean() })
      .optional()
      .describe("the project's commit, when it is a git checkout"),
    tools: z.record(z.string(), z.string()).describe("tool → version that ran"),
    components: z.array(ComponentResult),
    checks: z.array(CheckResult),
    upgrade: z
      .strictObject({
        from: z.strictObject({
          ref: z.string(),
          commit: z.string(),
          chartVersion: z.string().optional(),
        }),
        status: Status,
        reason: z.string().optional(),
        components: z.array(ComponentResult).describe("readiness of the release before upgrading"),
        checks: z.array(CheckResult),
      })
      .optional(),
    warnings: z.array(WarningEvent),
    bundle: z.string().optional().describe("the diagnostics bundle, beside this file"),
    teardown: z.strictObject({
      status: z.enum(["done", "kept", "failed", "not-needed"]),
      detail: z.string().optional(),
    }),
  })
  .describe("Coffea Shoppe e2e results: one run of shoppe e2e run");

/** One run's results. */
export type E2eResults = z.infer<typeof E2eResultsSchema>;
/** One component's readiness. */
export type ComponentResult = z.infer<typeof ComponentResult>;
/** One check's outcome. */
export type CheckResult = z.infer<typeof CheckResult>;
/** A status. */
export type Status = z.infer<typeof Status>;
/** A tier. */
export type Tier = z.infer<typeof Tier>;
/** Software that answered, as recorded. */
export type SoftwareResult = z.infer<typeof Software>;
/** A Warning event as recorded. */
export type WarningRecord = z.infer<typeof WarningEvent>;

/** Where the committed schema lives, relative to the project root. */
export const E2E_RESULTS_SCHEMA_FILE = "schema/e2e-results.schema.json";

/** The committed schema's bytes (stable key order, trailing newline). */
export function e2eResultsSchemaText(): string {
  const schema = z.toJSONSchema(E2eResultsSchema, { io: "output", target: "draft-2020-12" });
  const withId = {
    $id: "https://coffea-casa.io/schemas/shoppe/e2e-results.schema.json",
    title: "Coffea Shoppe e2e results",
    ...schema,
  };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
