/**
 * mlflow-tracking against the real MLflow (PyPI, the chart's appVersion) running the rendered
 * chart's command line: passes through the in-cluster Host name; fails with an actionable
 * reason behind a wrong allowed-hosts setting (a second server whose rendered ConfigMap allows
 * only localhost), on a wrong port, within its timeout when it hangs, and once the server is
 * stopped.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { mlflowTracking } from "../../src/e2e/checks/mlflow.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { mlflowLauncher } from "../../src/e2e/service/launchers/mlflow.js";
import type { KubeObject } from "../../src/kube/objects.js";
import {
  expectBoundedByTimeout,
  startTier,
  type TestTier,
  wrongPortServices,
} from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 60_000 };

describeWithRealCharts(
  "mlflow-tracking against MLflow running the rendered chart",
  ["helm", "mlflow"],
  () => {
    let t: TestTier;
    let strict: TestTier;
    beforeAll(async () => {
      [t, strict] = await Promise.all([
        startTier([mlflowLauncher]),
        startTier([mlflowLauncher], {
          edit: (r) => {
            const cm = r.objects.find(
              (o) => o.kind === "ConfigMap" && o.metadata.name === "mlflow-env-configmap",
            ) as KubeObject & { data: Record<string, string> };
            cm.data.MLFLOW_SERVER_ALLOWED_HOSTS = "localhost,localhost:*";
          },
        }),
      ]);
    }, 240_000);
    afterAll(async () => {
      await Promise.all([t?.close(), strict?.close()]);
    });

    it("runs the pinned MLflow and records the version that answered", () => {
      const c = t.components[0];
      expect(c?.status, c?.reason).toBe("passed");
      expect(c?.software?.[0]).toMatchObject({ answered: "3.15.1", pinned: "3.15.1", match: true });
    });

    it("passes: experiment, run, parameter and metric written and read back through the Service's name", async () => {
      const [r] = await runChecks([mlflowTracking], t.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(r?.evidence[0]).toMatch(/Host mlflow\.shoppe-test\.svc:\d+$/);
    });

    it("fails behind a wrong allowed-hosts setting, saying which setting to change", async () => {
      const [r] = await runChecks([mlflowTracking], strict.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /MLflow refused POST experiments\/create for Host mlflow\.shoppe-test\.svc:\d+ \(HTTP 403/,
      );
      expect(r?.reason).toMatch(/serverAllowedHosts/);
    });

    it("fails on a wrong port", async () => {
      const services = wrongPortServices(t);
      const [r] = await runChecks([mlflowTracking], t.target({ services }), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at mlflow\.shoppe-test\.svc:9 .*connection refused/,
      );
    });

    it("fails within its timeout when the check hangs", async () => {
      await expectBoundedByTimeout(mlflowTracking, t, env);
    });

    it("fails once the server is stopped", async () => {
      await strict.tier.stopComponent("mlflow");
      const [r] = await runChecks([mlflowTracking], strict.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(/connection refused\): is the service running\?/);
    });
  },
);
