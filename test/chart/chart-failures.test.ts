/**
 * Bad inputs and broken servers, on the real charts served on loopback: a chart version the
 * repository or registry lacks, the repository down, an unreachable OCI registry, a value the
 * real MLflow schema rejects, an object whose API the supported Kubernetes versions no longer
 * serve, dependencies not built. Each must name the component, carry the failed command line,
 * exit 1 or 2 as fits, and leave the previous chart (Chart.yaml, Chart.lock, charts/) byte for
 * byte as it was.
 */
import { beforeAll, expect, it } from "vitest";
import { chartDeps, chartLint, chartTemplate } from "../../src/actions/chart.js";
import { CommandError, InputError, type ShoppeError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";
import { toolPath } from "../helpers/tools.js";
import { startChartRepo } from "../support/chart-repo.js";
import { closedPort } from "../support/ports.js";
import type { RealProject, StackDoc } from "../support/real-project.js";
import { type ChartServers, IN_REGISTRY, serverHelm, useFacility } from "../support/servers.js";
import { describeWithRealCharts, realChartsOrigin } from "../support/upstream-mirror.js";

const env = { PATH: toolPath() };

/** Runs `fn`, which must throw a ShoppeError; returns it. */
async function failure(fn: () => Promise<unknown>): Promise<ShoppeError> {
  try {
    await fn();
  } catch (err) {
    return err as ShoppeError;
  }
  throw new Error("expected a failure, but it succeeded");
}

describeWithRealCharts(
  `chart command failures on the real charts of ${realChartsOrigin()} served on loopback`,
  ["helm", "helm3", "docker-registry"],
  () => {
    // Dependencies built: the previous, good state every test starts from.
    const facility = useFacility({ buildDeps: true });
    let servers: ChartServers;
    let project: RealProject;
    let good: StackDoc;
    beforeAll(() => {
      ({ servers, project, good } = facility());
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
      // The repository serves servicex 1.5.3 only, the registry mlflow 1.11.5 only.
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
      const cli = await runCli(["chart", "deps", "--update"], project.root, env);
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
      const h = await serverHelm();
      const repo = await startChartRepo(
        h.helm,
        servers.archives.filter((a) => a.component !== IN_REGISTRY).map((a) => a.file),
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
          expect((err as CommandError).command).toContain(
            `repo add shoppe-coffea-casa ${repo.url}`,
          );
        }
      } finally {
        await repo.close();
        await h.close();
      }
    });

    it("names the component whose values break the real MLflow schema (exit 2; lint exit 1)", async () => {
      // MLflow's values.schema.json: service.port is an integer.
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
      const cli = await runCli(["chart", "lint", "--profile", "ci"], project.root, env);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain("(mlflow)");
      const tpl = await runCli(["chart", "template", "--profile", "ci"], project.root, env);
      expect(tpl.code).toBe(2);
      expect(tpl.stderr).toContain('"mlflow"');
    });

    it("flags objects whose API the supported Kubernetes versions no longer serve (exit 1)", async () => {
      // The first-party Triton chart writes autoscaling/v2 only; ServiceX's Bitnami RabbitMQ
      // picks its PodDisruptionBudget API from its own kubeVersion override (Bitnami common
      // capabilities): one from an old cluster's values brings back policy/v1beta1.
      const stack = structuredClone(good);
      Object.assign(stack.profiles.ci.values.servicex.rabbitmq, {
        kubeVersion: "1.20.0",
        pdb: { create: true },
      });
      await project.writeAndRender(stack);
      try {
        const r = await chartTemplate(project.ctx, { profile: "ci" });
        expect(r.ok).toBe(false);
        const removed =
          "PodDisruptionBudget/default/coffea-shoppe-rabbitmq: policy/v1beta1 was removed in Kubernetes 1.25; use policy/v1";
        expect(r.renders.map((x) => [x.kubeVersion, x.removedApis])).toEqual(
          good.kubernetes.versions.map((v: { version: string }) => [v.version, [removed]]),
        );
        const cli = await runCli(
          ["chart", "template", "--profile", "ci", "--kube-version", "1.37.2"],
          project.root,
          env,
        );
        expect(cli.code).toBe(1);
        expect(cli.stdout).toContain("removed APIs:");
        expect(cli.stdout).toContain(`ci@Kubernetes 1.37.2: ${removed}`);
      } finally {
        await project.writeAndRender(good);
      }
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
  },
);
