/**
 * jupyterhub-spawn against the real JupyterHub (PyPI, the version z2jh 4.4.0 deploys) behind the
 * real configurable-http-proxy (npm), configured from the rendered hub Secret: passes when a
 * test user's server carries the wired environment; fails when a wiring variable is missing
 * from the chart's singleuser environment (a second hub rendered without it), on a wrong port,
 * within its timeout when it hangs, and once the hub is stopped.
 */

import { afterAll, beforeAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { jupyterhubSpawn, parseEnv } from "../../src/e2e/checks/jupyterhub.js";
import { runChecks } from "../../src/e2e/run/checks.js";
import { jupyterhubLauncher } from "../../src/e2e/service/launchers/jupyterhub.js";
import type { KubeObject } from "../../src/kube/objects.js";
import {
  expectBoundedByTimeout,
  startTier,
  type TestTier,
  wrongPortServices,
} from "../support/service-tier.js";
import { describeWithRealCharts } from "../support/upstream-mirror.js";

const env = { runsContainers: true, hasApi: false, notReady: new Set<string>(), timeoutMs: 90_000 };

describeWithRealCharts(
  "jupyterhub-spawn against JupyterHub configured from the rendered chart (stand-in: its single-user server for the notebook image)",
  ["helm", "jupyterhub", "configurable-http-proxy"],
  () => {
    let t: TestTier;
    let broken: TestTier;
    beforeAll(async () => {
      [t, broken] = await Promise.all([
        startTier([jupyterhubLauncher]),
        startTier([jupyterhubLauncher], {
          edit: (r) => {
            const secret = r.objects.find(
              (o) => o.kind === "Secret" && o.metadata.name === "hub",
            ) as KubeObject & { data: Record<string, string> };
            const values = parse(
              Buffer.from(secret.data["values.yaml"] as string, "base64").toString(),
            );
            delete values.singleuser.extraEnv.MLFLOW_TRACKING_URI;
            secret.data["values.yaml"] = Buffer.from(stringify(values)).toString("base64");
          },
        }),
      ]);
    }, 240_000);
    afterAll(async () => {
      await Promise.all([t?.close(), broken?.close()]);
    });

    it("runs JupyterHub and the proxy at the versions z2jh 4.4 deploys", () => {
      const c = t.components[0];
      expect(c?.status, c?.reason).toBe("passed");
      expect(c?.software?.map((s) => [s.answered, s.match])).toEqual([
        ["5.5.0", true],
        ["5.2.0", true],
        [undefined, false],
      ]);
      expect(c?.software?.[1]?.pinned).toBe(
        "5.2.0 (quay.io/jupyterhub/configurable-http-proxy:5.2.0, as rendered)",
      );
    });

    it("names the notebook image's stand-in as one", () => {
      const stand = t.components[0]?.software?.filter((s) => s.standIn) ?? [];
      expect(stand.map((s) => s.name.split(" ")[0])).toEqual(["jupyterhub-singleuser"]);
      expect(stand[0]?.standIn).toMatch(
        /^the notebook image \(hub\.opensciencegrid\.org\/coffea-casa\/cc-dask-alma9:.+\) is a container image/,
      );
    });

    it("passes: a test user's server starts with every wired variable as rendered", async () => {
      const [r] = await runChecks([jupyterhubSpawn], t.target(), env);
      expect(r?.status, `${r?.reason}\n${r?.evidence.join("\n")}`).toBe("passed");
      expect(r?.evidence).toContain("user environment: 7/7 wired variables as rendered");
    });

    it("fails when the chart's notebook environment lacks a wiring variable", async () => {
      const [r] = await runChecks([jupyterhubSpawn], broken.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toBe("MLFLOW_TRACKING_URI is missing from the user's environment");
    });

    it("fails on a wrong port, naming the address", async () => {
      const services = wrongPortServices(t);
      const [r] = await runChecks([jupyterhubSpawn], t.target({ services }), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at proxy-public\.shoppe-test\.svc:9 .*connection refused/,
      );
    });

    it("fails within its timeout when the check hangs", async () => {
      await expectBoundedByTimeout(jupyterhubSpawn, t, env);
    });

    it("fails once the hub is stopped", async () => {
      await broken.tier.stopComponent("coffea-casa");
      const [r] = await runChecks([jupyterhubSpawn], broken.target(), env);
      expect(r?.status).toBe("failed");
      expect(r?.reason).toMatch(
        /nothing listens at proxy-public\.shoppe-test\.svc:\d+ .*connection refused/,
      );
    });

    it("reads the environment between the terminal's markers", () => {
      expect(
        parseEnv("$ echo __SHOPPE_$((0+1))__\r\n__SHOPPE_1__\r\nA=1\r\nB=x=y\r\n__SHOPPE_2__\r\n"),
      ).toEqual({ A: "1", B: "x=y" });
      expect(parseEnv("__SHOPPE_1__\r\nA=1")).toBeUndefined();
    });
  },
);
