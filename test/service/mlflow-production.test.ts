/**
 * The production profile keeps MLflow's data, in the service tier: MLflow from PyPI runs the
 * production rendering (backend store in PostgreSQL, credentials from the Secret the profile
 * names, which the tier's Debian PostgreSQL creates as a facility would), mlflow-tracking
 * passes, and a run written before an upgrade (every component relaunched from the rendering,
 * emptyDirs gone, the database kept) is read after it. The ci profile, whose store is a SQLite
 * file in the pod's emptyDir, loses it, and mlflow-run-kept says so.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { UpgradeCheck } from "../../src/e2e/checks/check.js";
import { mlflowRunKept, mlflowTracking } from "../../src/e2e/checks/mlflow.js";
import { afterUpgrade, beforeUpgrade, runChecks } from "../../src/e2e/run/checks.js";
import { mlflowLauncher } from "../../src/e2e/service/launchers/mlflow.js";
import { startTier, type TestTier } from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 60_000 };

async function upgradeKeeps(t: TestTier) {
  const memos = await beforeUpgrade([mlflowRunKept as UpgradeCheck], t.target(), env);
  expect(memos.results).toEqual([]);
  const relaunched = await t.tier.relaunch(t.rendered, ["mlflow"]);
  expect(relaunched[0]?.status, relaunched[0]?.reason).toBe("passed");
  return (await afterUpgrade(memos, t.target(), env))[0];
}

describeWithRealCharts(
  "MLflow's data across an upgrade in the service tier",
  ["helm", "mlflow", "psql"],
  () => {
    let prod: TestTier;
    let ci: TestTier;
    beforeAll(async () => {
      [prod, ci] = await Promise.all([
        startTier([mlflowLauncher], { profile: "production" }),
        startTier([mlflowLauncher]),
      ]);
    }, 300_000);
    afterAll(async () => {
      await Promise.all([prod?.close(), ci?.close()]);
    });

    it("production: MLflow on the facility's PostgreSQL, credentials from the Secret the profile names", async () => {
      expect(prod.components[0]?.status, prod.components[0]?.reason).toBe("passed");
      const [r] = await runChecks([mlflowTracking], prod.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(prod.tier.processes.map((p) => p.spec.name)).toEqual(
        expect.arrayContaining(["postgres", "mlflow"]),
      );
    });

    it("production: a run written before the upgrade is read after it", async () => {
      const r = await upgradeKeeps(prod);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
    });

    it("ci: the run is lost with the pod's emptyDir, and the upgrade check fails saying so", async () => {
      const r = await upgradeKeeps(ci);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /^after the upgrade: MLflow answered GET runs\/get\?run_id=\w+ with HTTP 404/,
      );
    });
  },
);
