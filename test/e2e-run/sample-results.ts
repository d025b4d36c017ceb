/** A results file as `shoppe e2e run` writes it, for the tests of the results writers. */
import type { E2eResults } from "../../src/e2e/results/model.js";

/** A failed kwok run: one component ready, one not, a passed and a skipped check. */
export function sampleResults(over: Partial<E2eResults> = {}): E2eResults {
  return {
    apiVersion: "shoppe.coffea-casa.io/v1alpha1",
    kind: "E2eResults",
    runId: "20261201T120000Z-0a1b2c3d",
    status: "failed",
    tier: "control-plane",
    startedAt: "2026-12-01T12:00:00.000Z",
    finishedAt: "2026-12-01T12:00:20.000Z",
    durationMs: 20_000,
    provider: {
      name: "kwok",
      chosenBecause: "named by --provider",
      runsContainers: false,
      realControlPlane: true,
    },
    kubernetes: { version: "1.35.4", served: "v1.35.4" },
    profile: "ci",
    namespace: "shoppe-e2e-0a1b2c3d",
    release: "e2e-demo",
    stack: {
      file: "stack.yaml",
      digest: `sha256:${"1".repeat(64)}`,
      release: "e2e-demo",
      version: "0.1.0",
    },
    chart: {
      name: "e2e-demo",
      version: "0.1.0",
      dependencies: [{ component: "web", chart: "web", version: "0.1.0" }],
    },
    git: { commit: "f".repeat(40), dirty: false },
    tools: { helm: "v4.3.1", kwok: "v0.8.0" },
    components: [
      {
        id: "web",
        status: "failed",
        reason: 'not ready after 8s: pod web-1: ImagePullBackOff (image a|b <c> & "d")',
        durationMs: 8000,
        workloads: [{ kind: "Deployment", name: "web", ready: false, detail: "0/1 available" }],
      },
      {
        id: "store",
        status: "passed",
        durationMs: 900,
        workloads: [{ kind: "StatefulSet", name: "store", ready: true, detail: "1/1 ready" }],
      },
      { id: "extra", status: "skipped", reason: "disabled in profile ci", workloads: [] },
    ],
    checks: [
      {
        name: "endpoints-ready",
        component: "integration",
        phase: "smoke",
        needs: ["api"],
        status: "passed",
        durationMs: 40,
        evidence: ["WEB_URL: Service web, 1 ready endpoint(s)"],
      },
      {
        name: "web-answers",
        component: "web",
        phase: "smoke",
        needs: ["live-service"],
        status: "skipped",
        reason: "pods are simulated",
        durationMs: 0,
        evidence: [],
      },
    ],
    warnings: [
      {
        at: "2026-12-01T12:00:05.000Z",
        object: "Pod/web-1",
        component: "web",
        reason: "Failed",
        message: "Failed to pull image",
        count: 2,
      },
    ],
    bundle: "bundle.tar.gz",
    teardown: { status: "done", detail: "cluster deleted" },
    ...over,
  };
}
