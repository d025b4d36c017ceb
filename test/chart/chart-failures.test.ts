/**
 * Bad inputs and broken servers: a chart version the repository lacks, the repository down,
 * an unreachable OCI registry, a values override its chart's schema rejects. Each must name
 * the component, carry the failed command line, exit 1 or 2 as fits, and leave the previous
 * chart (Chart.yaml, Chart.lock, charts/) byte for byte as it was.
 */
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { chartDeps, chartLint, chartTemplate } from "../../src/actions/chart.js";
import { CommandError, InputError, type ShoppeError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools } from "../helpers/tools.js";
import { startChartRepo } from "../support/chart-repo.js";
import { type FacilityProject, type StackDoc, toolPath, UPSTREAM } from "../support/facility.js";
import { closedPort } from "../support/ports.js";
import { fixtureHelm, useFacility } from "../support/servers.js";

/** Runs `fn`, which must throw a ShoppeError; returns it. */
async function failure(fn: () => Promise<unknown>): Promise<ShoppeError> {
  try {
    await fn();
  } catch (err) {
    return err as ShoppeError;
  }
  throw new Error("expected a failure, but it succeeded");
}

describeWithTools("chart command failures", ["helm", "helm3", "docker-registry"], () => {
  // Dependencies built: the previous, good state every test starts from.
  const facility = useFacility({ buildDeps: true });
  let project: FacilityProject;
  let good: StackDoc;
  beforeAll(() => {
    ({ project, good } = facility());
  });

  /** Renders `stack`, snapshots the chart, runs `fn` (which must fail), checks nothing changed. */
  async function failsWithoutChanges(
    stack: StackDoc,
    fn: () => Promise<unknown>,
  ): Promise<ShoppeError> {
    await project.writeAndRender(stack);
    const before = await project.snapshot();
    const err = await failure(fn);
    expect(await project.snapshot()).toEqual(before);
    return err;
  }

  it("names the component whose pinned chart version the repository lacks (exit 2)", async () => {
    const stack = structuredClone(good);
    stack.components.servicex.chart.version = "1.5.99";
    for (const major of ["v4", "v3"] as const) {
      const err = await failsWithoutChanges(stack, () =>
        chartDeps(project.ctx, { update: true, major }),
      );
      expect(err).toBeInstanceOf(InputError);
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain('component "servicex"');
      expect(err.message).toContain("servicex 1.5.99");
      expect(err.message).toMatch(/command: \S*helm3? dependency update /);
      const d = (err as InputError).diagnostics[0];
      expect(d?.path).toBe("components.servicex.chart.version");
      expect(d?.position?.line).toBeGreaterThan(1);
    }
    // The same for a chart version the OCI registry lacks.
    const oci = structuredClone(good);
    oci.components.mlflow.chart.version = "1.11.99";
    for (const major of ["v4", "v3"] as const) {
      const err = await failsWithoutChanges(oci, () =>
        chartDeps(project.ctx, { update: true, major }),
      );
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain('component "mlflow" (chart mlflow 1.11.99 from oci://');
      expect((err as InputError).diagnostics[0]?.path).toBe("components.mlflow.chart.version");
    }
    await project.writeAndRender(stack);
    // The CLI prints the same, with the stack.yaml position, and exits 2.
    const cli = await runCli(["chart", "deps", "--update"], project.root, { PATH: toolPath() });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('component "servicex"');
    expect(cli.stderr).toMatch(/stack\.yaml:\d+:\d+: components\.servicex\.chart\.version/);
  });

  it("names the component whose OCI registry cannot be reached (exit 1)", async () => {
    const stack = structuredClone(good);
    stack.components.mlflow.chart.repository = `oci://127.0.0.1:${await closedPort()}/charts`;
    for (const major of ["v4", "v3"] as const) {
      const err = await failsWithoutChanges(stack, () =>
        chartDeps(project.ctx, { update: true, major }),
      );
      expect(err).toBeInstanceOf(CommandError);
      expect(err.exitCode).toBe(1);
      expect(err.message).toContain('the OCI registry of component "mlflow"');
      expect(err.message).toContain("connection refused");
      expect((err as CommandError).command).toContain("dependency update");
      expect(err.message).toContain((err as CommandError).command);
    }
  });

  it("names the components of a chart repository that stopped (exit 1)", async () => {
    const h = await fixtureHelm();
    const repo = await startChartRepo(
      h.helm,
      ["coffea-casa", "servicex"].map((c) => path.join(UPSTREAM, c)),
    );
    try {
      const stack = structuredClone(good);
      stack.components["coffea-casa"].chart.repository = repo.url;
      stack.components.servicex.chart.repository = repo.url;
      await project.writeAndRender(stack);
      await chartDeps(project.ctx, { update: true }); // works while the repository is up
      await repo.stop();
      for (const update of [false, true]) {
        const err = await failsWithoutChanges(stack, () => chartDeps(project.ctx, { update }));
        expect(err).toBeInstanceOf(CommandError);
        expect(err.exitCode).toBe(1);
        expect(err.message).toContain('component "coffea-casa"');
        expect(err.message).toContain('component "servicex"');
        expect(err.message).toContain("cannot be reached");
        expect(err.message).toContain(`command: `);
        expect((err as CommandError).command).toContain(`repo add shoppe-coffea-casa ${repo.url}`);
      }
    } finally {
      await repo.close();
      await h.close();
    }
  });

  it("names the component whose values break its chart's schema (exit 2; lint exit 1)", async () => {
    const stack = structuredClone(good);
    stack.components.mlflow.values.service = { port: "eighty" };
    await project.writeAndRender(stack);
    const before = await project.snapshot();
    const err = await failure(() =>
      chartTemplate(project.ctx, { profile: "ci", kubeVersion: "1.37.2" }),
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('values for "mlflow" do not match its chart\'s schema');
    expect(err.message).toMatch(/command: \S*helm template /);
    const d = (err as InputError).diagnostics[0];
    expect(d?.path).toBe("components.mlflow.values.service.port");
    expect(d?.message).toContain("/service/port");
    const lint = await chartLint(project.ctx, { profile: "ci" });
    expect(lint.ok).toBe(false);
    expect(lint.runs.map((r) => r.ok)).toEqual([false, false]); // v4 and v3
    for (const run of lint.runs) {
      const bad = run.findings.find((f) => f.severity === "ERROR");
      expect(bad?.components).toEqual(["mlflow"]);
      expect(run.command).toContain("lint");
    }
    expect(await project.snapshot()).toEqual(before);
    const cli = await runCli(["chart", "lint", "--profile", "ci"], project.root, {
      PATH: toolPath(),
    });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("(mlflow)");
    const tpl = await runCli(["chart", "template", "--profile", "ci"], project.root, {
      PATH: toolPath(),
    });
    expect(tpl.code).toBe(2);
    expect(tpl.stderr).toContain('"mlflow"');
  });

  it("flags objects whose API a supported Kubernetes version no longer serves (exit 1)", async () => {
    const stack = structuredClone(good);
    stack.profiles.gpu.values.triton = {
      autoscaling: { enabled: true, apiVersion: "autoscaling/v2beta2" },
    };
    await project.writeAndRender(stack);
    const r = await chartTemplate(project.ctx, { profile: "gpu" });
    expect(r.ok).toBe(false);
    expect(r.renders.map((x) => x.removedApis)).toEqual([
      [
        "HorizontalPodAutoscaler/triton: autoscaling/v2beta2 was removed in Kubernetes 1.26; use autoscaling/v2",
      ],
      [
        "HorizontalPodAutoscaler/triton: autoscaling/v2beta2 was removed in Kubernetes 1.26; use autoscaling/v2",
      ],
    ]);
    const cli = await runCli(["chart", "template", "--profile", "gpu"], project.root, {
      PATH: toolPath(),
    });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("removed APIs:");
    expect(cli.stdout).toContain("gpu@Kubernetes 1.37.2: HorizontalPodAutoscaler/triton");
  });

  it("says to run chart deps when the dependencies are not built", async () => {
    const stack = structuredClone(good);
    stack.components.mlflow.chart.version = "1.11.6"; // not fetched yet
    await project.writeAndRender(stack);
    const err = await failure(() => chartTemplate(project.ctx));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("mlflow (mlflow 1.11.6)");
    expect(err.message).toContain("shoppe chart deps");
  });
});
