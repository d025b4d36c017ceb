/**
 * `shoppe e2e run --provider kwok --matrix` on the real umbrella: the real stack.yaml, its
 * dependencies built by the run from the upstream mirror (Coffea-Casa and MLflow substitutes,
 * recorded as such in the results) or the upstream repositories, the ci profile, every
 * component watched to readiness, the endpoints check, results that validate against the
 * committed schema, JUnit, and the versions kwok cannot run recorded as not run with the reason.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readPins } from "../../src/tools/pins.js";
import { runCli } from "../../test/helpers/cli.js";
import { ROOT, toolPath } from "../../test/helpers/tools.js";
import { createRealProject, type RealProject } from "../../test/support/real-project.js";
import {
  describeWithRealCharts,
  realChartsArgs,
  realChartsOrigin,
  upstreamMode,
} from "../../test/support/upstream-mirror.js";
import { expectNothingLeft, readRuns } from "./e2e-support.js";

const TOOLS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "helm",
];

describeWithRealCharts(
  `shoppe e2e run --provider kwok --matrix on the real umbrella from ${realChartsOrigin()}`,
  TOOLS,
  () => {
    let project: RealProject;
    let result: Awaited<ReturnType<typeof runCli>>;

    beforeAll(async () => {
      project = await createRealProject();
      result = await runCli(
        [
          "e2e",
          "run",
          "--provider",
          "kwok",
          "--matrix",
          "--timeout",
          "5m",
          ...(await realChartsArgs()),
        ],
        project.root,
        { PATH: toolPath() },
      );
    }, 600_000);
    afterAll(() => project?.close());

    it("passes at tier control-plane on the built version, every component ready, the wiring checked", () => {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("provider kwok: named by --provider");
      const built = readPins(ROOT).kube?.replace(/^v/, "");
      const runs = readRuns(path.join(project.root, ".shoppe/e2e"));
      const ran = runs.filter((r) => r.results.status !== "not-run");
      expect(ran.map((r) => r.results.kubernetes.version)).toEqual([built]);
      const res = ran[0]?.results;
      expect(res).toMatchObject({
        status: "passed",
        tier: "control-plane",
        profile: "ci",
        release: "coffea-shoppe",
      });
      expect(res?.provider.runsContainers).toBe(false);
      expect(res?.components.filter((c) => c.status !== "passed").map((c) => c.id)).toEqual([]);
      expect(res?.components.map((c) => c.id).sort()).toEqual([
        "coffea-casa",
        "mlflow",
        "servicex",
        "triton",
        "xcache",
      ]);
      const endpoints = res?.checks.find((c) => c.name === "endpoints-ready");
      expect(endpoints?.status).toBe("passed");
      expect(endpoints?.evidence).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^MLFLOW_TRACKING_URI=http:\/\/mlflow\..*: Service mlflow, 1 ready endpoint/,
          ),
        ]),
      );
      expect(res?.tools.helm).toBe(readPins(ROOT).helm);
      expect(res?.stack.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      if (upstreamMode() === "mirror") {
        const substitutes = res?.chart.dependencies
          .filter((d) => d.substitute)
          .map((d) => d.component);
        expect(substitutes?.sort()).toEqual(["coffea-casa", "mlflow"]);
      }
      expect(readFileSync(path.join(ran[0]?.dir as string, "junit.xml"), "utf8")).toContain(
        'failures="0"',
      );
    });

    it("records every other version of stack.yaml as not run, with the reason", () => {
      const runs = readRuns(path.join(project.root, ".shoppe/e2e")).filter(
        (r) => r.results.status === "not-run",
      );
      expect(runs.length).toBe(project.stack.kubernetes.versions.length - 1);
      for (const r of runs) {
        expect(r.results.reason).toMatch(
          /^the kwok control plane is built at v\d+\.\d+\.\d+ \(KUBE_VERSION/,
        );
        expect(r.results).not.toHaveProperty("tier");
        expect(r.results.components.every((c) => c.status === "not-run")).toBe(true);
        expect(readFileSync(path.join(r.dir, "junit.xml"), "utf8")).toContain(
          '<skipped message="not-run: the kwok control plane is built at',
        );
      }
    });

    it("leaves no cluster, process or port behind", async () => {
      await expectNothingLeft(path.join(project.root, ".shoppe/clusters"));
    });
  },
);
