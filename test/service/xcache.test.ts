/**
 * xcache-read against the real servers: Debian's xrootd runs the umbrella's rendered xcache pod
 * (cache) and the xcache chart in origin mode (the data origin). Passes on the real pair; fails,
 * saying why, when the origin is down, on a wrong port, and when it hangs past its timeout.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCinfo, xcacheRead } from "../../src/e2e/checks/xcache.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { xcacheLauncher } from "../../src/e2e/service/launchers/xcache.js";
import {
  expectBoundedByTimeout,
  startTier,
  type TestTier,
  wrongPortServices,
} from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 60_000 };

describeWithRealCharts(
  "xcache-read against Debian's xrootd running the rendered chart",
  ["helm", "xrootd", "xrdcp", "xrdfs", "xrdpfc_print"],
  () => {
    let t: TestTier;
    beforeAll(async () => {
      t = await startTier([xcacheLauncher]);
    }, 180_000);
    afterAll(() => t?.close());

    it("starts the cache from the rendered pod and records the XRootD that answered", () => {
      const c = t.components[0];
      expect(c?.status, c?.reason).toBe("passed");
      expect(c?.software?.[0]?.answered).toMatch(/^5\.\d+\.\d+/);
    });

    it("passes: the origin's bytes through the cache, the second read from the cache", async () => {
      const [r] = await runChecks([xcacheRead], t.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(r?.evidence.join("\n")).toMatch(
        /after the second read: 2 accesses, complete, last access fetched 0 kB/,
      );
    });

    it("fails on a wrong port, naming the address", async () => {
      const [r] = await runChecks([xcacheRead], t.target({ services: wrongPortServices(t) }), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(/xrdcp root:\/\/127\.0\.0\.1:9\/\/.* failed/);
    });

    it("fails within its timeout when the check hangs", async () => {
      await expectBoundedByTimeout(xcacheRead, t, env);
    });

    it("fails once the cache is stopped, its origin still up", async () => {
      await t.tier.processes.find((x) => x.spec.name === "cache")?.stop();
      const [r] = await runChecks([xcacheRead], t.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        // Refused when the check reaches for it, or when it reads through it: a race with the exit.
        /nothing listens at xcache\.shoppe-test\.svc:\d+ .*connection refused\): is the service running\?|^the read through the cache \(XCACHE_URL=root:\/\/xcache\.shoppe-test\.svc:1094\) failed: xrdcp .* Connection error.*; is XCache running\?$/,
      );
    });

    it("fails when the origin is down", async () => {
      const p = await t.tier.services.params("xcache");
      t.tier.services.setParams("xcache", { file: "/store/other.txt" });
      const origin = t.tier.processes.find((x) => x.spec.name === "origin");
      await origin?.stop();
      const [r] = await runChecks([xcacheRead], t.target(), env);
      t.tier.services.setParams("xcache", { file: p.file as string });
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(/xrdcp root:\/\/127\.0\.0\.1:\d+\/\/store\/other\.txt failed/);
    });

    it("parses xrdpfc_print's access records", () => {
      const text = [
        "file_size 0 kB, buffer_size 1024 kB, n_blocks 1, n_downloaded 1, state complete [100.000%]",
        "Access records (N_acc_total=2):",
        "Record Attach         Detach         Duration     N_ios N_mrg    B_hit[kB]   B_miss[kB] B_bypass[kB]",
        "1      261201:161910  261201:161910  0:00:00          1     0            0         2048            0",
        "2      261201:161911  261201:161911  0:00:00          1     0         2048            0            0",
      ].join("\n");
      expect(parseCinfo(text)).toEqual({ accesses: 2, complete: true, lastMissedKb: 0 });
      expect(parseCinfo("")).toEqual({ accesses: 0, complete: false, lastMissedKb: 0 });
    });
  },
);
