/**
 * triton-inference against the real Triton server (the one PyPI's nvidia-pytriton bundles)
 * running the rendered chart's pod on CPU: passes with the shipped model; fails when the model
 * is not there, on a wrong port, within its timeout when it hangs, and once the server is
 * stopped.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { tritonInference } from "../../src/e2e/checks/triton.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { tritonLauncher } from "../../src/e2e/service/launchers/triton.js";
import {
  expectBoundedByTimeout,
  startTier,
  type TestTier,
  wrongPortServices,
} from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 60_000 };

describeWithRealCharts(
  "triton-inference against Triton running the rendered chart",
  ["helm", "tritonserver"],
  () => {
    let t: TestTier;
    beforeAll(async () => {
      t = await startTier([tritonLauncher]);
    }, 240_000);
    afterAll(() => t?.close());

    it("runs the real Triton server and records its version beside the pin (a mismatch)", () => {
      const c = t.components[0];
      expect(c?.status, c?.reason).toBe("passed");
      expect(c?.software?.[0]).toMatchObject({
        pinned: "2.71.0",
        answered: expect.stringMatching(/^2\.\d+\.\d+$/),
      });
      expect(c?.software?.[0]?.match).toBe(c?.software?.[0]?.answered === "2.71.0");
      expect(c?.software?.[0]?.standIn).toBeUndefined();
    });

    it("passes: live, ready, the shipped model loaded and ready, one inference right", async () => {
      const [r] = await runChecks([tritonInference], t.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(r?.evidence).toContain("inference: [1,2,3,4] + [10,20,30,40] = [11,22,33,44]");
    });

    it("stays ready after the check (the model is left loaded)", async () => {
      const [r] = await runChecks([tritonInference], t.target(), env);
      expect(r?.status, r?.reason).toBe("passed");
    });

    it("fails when the model is not in the repository", async () => {
      t.tier.services.setParams("triton", { model: "no-such-model" });
      const [r] = await runChecks([tritonInference], t.target(), env);
      t.tier.services.setParams("triton", { model: "" });
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /^model no-such-model is not ready \(HTTP 400.*load it into the model repository$/,
      );
    });

    it("fails on a wrong port, naming the address", async () => {
      const services = wrongPortServices(t);
      const [r] = await runChecks([tritonInference], t.target({ services }), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at triton\.shoppe-test\.svc:9 .*\(connection refused\): is the service running\?/,
      );
    });

    it("fails within its timeout when the check hangs", async () => {
      await expectBoundedByTimeout(tritonInference, t, env);
    });

    it("fails once the server is stopped", async () => {
      await t.tier.stopComponent("triton");
      const [r] = await runChecks([tritonInference], t.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at triton\.shoppe-test\.svc:\d+ .*\(connection refused\): is the service running\?/,
      );
    });
  },
);
