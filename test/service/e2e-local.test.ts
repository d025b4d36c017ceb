/**
 * `shoppe e2e run --provider local` on the real umbrella, through the CLI: every component with
 * a launcher starts from the rendered chart (in parallel), every check runs against the real
 * servers, everything stops, and the results (valid against the committed schema) say tier
 * `service`, what answered beside each pin, and each stand-in as one. With `--upgrade-from` on the
 * production profile, MLflow's run written before the upgrade is read after it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readRuns } from "../../e2e/kwok/e2e-support.js";
import type { E2eResults } from "../../src/e2e/results/model.js";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import { createRealProject, type RealProject } from "../support/real-project.js";
import { TIER_TOOLS } from "../support/service-tier.js";
import { describeWithRealCharts, realChartsArgs } from "../support/upstream-mirror.js";

describeWithRealCharts(
  "shoppe e2e run --provider local (the service tier) on the real umbrella",
  TIER_TOOLS,
  () => {
    let project: RealProject;
    let ci: { code: number; stderr: string; results: E2eResults; ms: number };
    beforeAll(async () => {
      project = await createRealProject();
      const git = (...a: string[]) =>
        execFileSync("git", ["-C", project.root, ...a], {
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: "t",
            GIT_AUTHOR_EMAIL: "t@e",
            GIT_COMMITTER_NAME: "t",
            GIT_COMMITTER_EMAIL: "t@e",
          },
        });
      git("init", "--quiet", "-b", "main");
      git("add", "-A");
      git("commit", "--quiet", "-m", "stack");
      const t0 = Date.now();
      const r = await runCli(
        [
          "e2e",
          "run",
          "--provider",
          "local",
          "--results",
          "results-ci",
          ...(await realChartsArgs()),
        ],
        project.root,
        { PATH: toolPath() },
      );
      const [run] = readRuns(path.join(project.root, "results-ci"));
      ci = { ...r, results: run?.results as E2eResults, ms: Date.now() - t0 };
    }, 600_000);
    afterAll(() => project?.close());

    it("starts every launched component's real server from the rendered chart, tier service, each stand-in named as one", () => {
      expect(ci.stderr).toContain("service tier: starting");
      const res = ci.results;
      expect(res.tier).toBe("service");
      expect(res.provider).toMatchObject({
        name: "local",
        runsContainers: false,
        realControlPlane: false,
      });
      const byId = Object.fromEntries(res.components.map((c) => [c.id, c]));
      for (const id of ["xcache", "mlflow", "triton", "coffea-casa", "servicex"]) {
        expect(byId[id]?.status, `${id}: ${byId[id]?.reason}`).toBe("passed");
        expect(byId[id]?.software?.length, id).toBeGreaterThan(0);
      }
      expect(byId.mlflow?.software?.[0]).toMatchObject({
        pinned: "3.15.1",
        answered: "3.15.1",
        match: true,
      });
      expect(byId.triton?.software?.[0]).toMatchObject({ pinned: "2.71.0", match: false });
      // ServiceX's API server is the real one at the pin; its object store and its transformer
      // pods are stand-ins, each named as one.
      const servicex = byId.servicex?.software ?? [];
      expect(servicex[0]).toMatchObject({ pinned: "1.5.3", answered: "1.5.3", match: true });
      expect(servicex[0]?.standIn).toBeUndefined();
      expect(servicex.filter((s) => s.standIn).map((s) => s.name.split(" ")[0])).toEqual([
        "moto",
        "transformers",
      ]);
      // Coffea-Casa's notebook image never runs here: JupyterHub's own single-user server does.
      const hub = byId["coffea-casa"]?.software ?? [];
      expect(hub.filter((s) => s.standIn).map((s) => s.name.split(" ")[0])).toEqual([
        "jupyterhub-singleuser",
      ]);
      expect(res.status, ci.stderr).toBe("passed");
      expect(ci.code).toBe(0);
    });

    it("runs every check against the real servers: the live ones pass, the API ones are skipped", () => {
      const checks = Object.fromEntries(ci.results.checks.map((c) => [c.name, c]));
      for (const name of [
        "xcache-read",
        "mlflow-tracking",
        "triton-inference",
        "jupyterhub-spawn",
        "servicex-transform",
        "wiring-answers",
      ]) {
        expect(checks[name]?.status, `${name}: ${checks[name]?.reason}`).toBe("passed");
      }
      expect(checks["endpoints-ready"]).toMatchObject({
        status: "skipped",
        reason: "no Kubernetes API: the service tier runs no cluster",
      });
      expect(checks["wiring-answers"]?.evidence.join("\n")).toMatch(
        /SERVICEX_HOST=http:\/\/coffea-shoppe-servicex-app\.shoppe-e2e-[0-9a-f]+\.svc:8000: HTTP \d+ from 127\.0\.0\.1:\d+/,
      );
    });

    it("stops every process it started", () => {
      const pids = ci.results.components
        .flatMap((c) => c.workloads)
        .map((w) => Number(/pid (\d+)/.exec(w.detail)?.[1]))
        .filter((pid) => pid > 0);
      expect(pids.length).toBeGreaterThanOrEqual(12);
      const alive = pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
      expect(alive).toEqual([]);
    });

    it("production with --upgrade-from: the MLflow run written before the upgrade is read after it", async () => {
      const r = await runCli(
        [
          "e2e",
          "run",
          "--provider",
          "local",
          "-p",
          "production",
          "--upgrade-from",
          "HEAD",
          "--results",
          "results-prod",
          ...(await realChartsArgs()),
        ],
        project.root,
        { PATH: toolPath() },
      );
      expect(r.stderr).toContain("service tier: starting");
      const [run] = readRuns(path.join(project.root, "results-prod"));
      const up = run?.results.upgrade;
      expect(up?.from.ref, r.stderr).toBe("HEAD");
      const kept = up?.checks.find((c) => c.name === "mlflow-run-kept");
      expect(kept?.status, `${kept?.reason}\n${r.stderr}`).toBe("passed");
      expect(up?.checks.find((c) => c.name === "claims-kept")?.status).toBe("skipped");
      // What answered after the upgrade is compared with this stack.yaml's pins.
      const mlflow = run?.results.components.find((c) => c.id === "mlflow");
      expect(mlflow?.software?.[0]).toMatchObject({ pinned: "3.15.1", match: true });
      expect(readdirSync(path.join(project.root, "results-prod")).length).toBeGreaterThan(0);
    }, 600_000);
  },
);
