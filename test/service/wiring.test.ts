/**
 * wiring-answers against real servers (Debian's xrootd for XCache, MLflow from PyPI), started
 * from the rendered umbrella: passes when every wired address answers; fails naming the
 * endpoint when a wired Service has no server, and when a server is stopped.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ServiceAccess } from "../../src/e2e/checks/check.js";
import { wiringAnswers } from "../../src/e2e/checks/wiring-answers.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { mlflowLauncher } from "../../src/e2e/service/launchers/mlflow.js";
import { xcacheLauncher } from "../../src/e2e/service/launchers/xcache.js";
import { startTier, type TestTier } from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 30_000 };

/** The tier's services with the wiring cut to the entries of `keys`. */
function only(t: TestTier, keys: RegExp): ServiceAccess {
  const s = Object.create(t.tier.services);
  s.wiring = async () =>
    Object.fromEntries(Object.entries(t.rendered.wiring).filter(([k]) => keys.test(k)));
  return s;
}

describeWithRealCharts(
  "wiring-answers against the servers started from the rendered umbrella",
  ["helm", "xrootd", "mlflow"],
  () => {
    let t: TestTier;
    beforeAll(async () => {
      t = await startTier([xcacheLauncher, mlflowLauncher]);
    }, 240_000);
    afterAll(() => t?.close());

    it("passes when every wired address answers its protocol", async () => {
      const [r] = await runChecks(
        [wiringAnswers],
        t.target({ services: only(t, /^(MLFLOW|XCACHE)_/) }),
        env,
      );
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(r?.evidence).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^MLFLOW_TRACKING_URI=http:\/\/mlflow\.shoppe-test\.svc:5000: HTTP \d{3} from 127\.0\.0\.1:\d+$/,
          ),
          expect.stringMatching(
            /^XCACHE_URL=root:\/\/xcache\.shoppe-test\.svc:1094: TCP connection to 127\.0\.0\.1:\d+$/,
          ),
          "XCACHE_PORT=1094: a port, not an address, not checked alone",
        ]),
      );
    });

    it("fails naming every wired endpoint no server answers for", async () => {
      const [r] = await runChecks([wiringAnswers], t.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(/TRITON_URL: no local process serves Service triton/);
      expect(r?.reason).toMatch(/JUPYTERHUB_URL: no local process serves Service proxy-public/);
    });

    it("fails when a wired server is stopped", async () => {
      await t.tier.stopComponent("mlflow");
      const [r] = await runChecks(
        [wiringAnswers],
        t.target({ services: only(t, /^(MLFLOW|XCACHE)_/) }),
        env,
      );
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /^MLFLOW_TRACKING_URI: nothing listens at mlflow\.shoppe-test\.svc:\d+ /,
      );
    });
  },
);
