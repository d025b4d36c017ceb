/**
 * servicex-transform against the real ServiceX API server (servicex_app at the pinned tag, from
 * the upstream mirror's git bundle) running the rendered chart's app Deployment and app.conf,
 * with Debian's RabbitMQ and PostgreSQL, the real raw-uproot code generator, and the tier's kwok
 * API server for its transformers; moto's S3 server stands in for MinIO. Passes with the real
 * servicex client; fails when RabbitMQ is down, on a wrong port, once the server is stopped, and
 * within its timeout when it hangs.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { clientProblem, servicexTransform } from "../../src/e2e/checks/servicex.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { servicexLauncher } from "../../src/e2e/service/launchers/servicex.js";
import {
  expectBoundedByTimeout,
  SERVICEX_TOOLS,
  startTier,
  type TestTier,
  wrongPortServices,
} from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 60_000 };

describeWithRealCharts(
  "servicex-transform against ServiceX running the rendered chart (stand-ins: moto for MinIO, transformer pods simulated)",
  ["helm", ...SERVICEX_TOOLS],
  () => {
    let t: TestTier;
    beforeAll(async () => {
      t = await startTier([servicexLauncher]);
    }, 300_000);
    afterAll(() => t?.close());

    it("runs the real API server and code generator at the pin, stand-ins named as such", () => {
      const c = t.components[0];
      expect(c?.status, c?.reason).toBe("passed");
      const sw = Object.fromEntries((c?.software ?? []).map((s) => [s.name.split(" ")[0], s]));
      expect(sw.servicex_app).toMatchObject({ pinned: "1.5.3", answered: "1.5.3", match: true });
      expect(sw.servicex_app?.standIn).toBeUndefined();
      expect(sw.servicex_code_gen_raw_uproot).toMatchObject({ answered: "1.5.3", match: true });
      // Debian's RabbitMQ and PostgreSQL are older than the chart's images: mismatches, not stand-ins.
      expect(sw["rabbitmq-server"]).toMatchObject({ answered: "3.10.8", match: false });
      expect(sw.postgres).toMatchObject({ answered: "15.18", match: false });
      expect(sw.moto?.standIn).toMatch(/MinIO/);
      expect(sw.transformers?.standIn).toMatch(/simulated/);
      expect(sw["kube-apiserver"]?.answered).toMatch(/^v1\.\d+\.\d+$/);
    });

    it("passes: REST API, version and configuration, a transform accepted, queried and cancelled", async () => {
      const [r] = await runChecks([servicexTransform], t.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      const text = r?.evidence.join("\n");
      expect(text).toContain("GET /about: ServiceX version servicex-1.5.3");
      expect(text).toContain("code generators as the rendered app.conf configures them");
      expect(text).toMatch(
        /submitted request [0-9a-f-]{36} \(UprootRaw, one file\): status \w+, 1 file/,
      );
      expect(text).toMatch(/transformer Deployment transformer-[0-9a-f-]{36}: 1\/1 ready/);
      expect(text).toContain("request cancelled: status Canceled");
    });

    it("fails on a wrong port, naming the address", async () => {
      const services = wrongPortServices(t);
      const [r] = await runChecks([servicexTransform], t.target({ services }), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at coffea-shoppe-servicex-app\.shoppe-test\.svc:9 .*\(connection refused\): is the service running\?/,
      );
    });

    it("fails within its timeout when the check hangs", async () => {
      await expectBoundedByTimeout(servicexTransform, t, env);
    });

    it("fails when ServiceX's RabbitMQ is down: the server answers the request with an error", async () => {
      const rabbit = t.tier.processes.filter((p) => ["rabbitmq", "epmd"].includes(p.spec.name));
      await Promise.all(rabbit.map((p) => p.stop()));
      const t0 = Date.now();
      const [r] = await runChecks([servicexTransform], t.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /^the ServiceX client's transform request failed: RuntimeError: ServiceX WebAPI Error during transformation submission: 500 - .*; is ServiceX's RabbitMQ running\?$/,
      );
      expect(Date.now() - t0).toBeLessThan(60_000);
    });

    it("fails once the server is stopped", async () => {
      await t.tier.stopComponent("servicex");
      const [r] = await runChecks([servicexTransform], t.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at coffea-shoppe-servicex-app\.shoppe-test\.svc:\d+ .*\(connection refused\): is the service running\?/,
      );
    });

    it("names the cause of a failed client run", () => {
      expect(
        clientProblem(
          "Traceback (most recent call last):\n  ...\nRuntimeError: ServiceX WebAPI Error during transformation submission: 500 - Something went wrong ((sqlite3.OperationalError) no such table: datasets)",
        ),
      ).toBe(
        "the ServiceX client's transform request failed: RuntimeError: ServiceX WebAPI Error during transformation submission: 500 - Something went wrong ((sqlite3.OperationalError) no such table: datasets); ServiceX's database has no tables (SQLite is never migrated: enable its PostgreSQL)",
      );
    });
  },
);
