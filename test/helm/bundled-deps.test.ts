/**
 * Chart archives read in memory and the bundled-dependencies check, on the real archives of
 * the upstream mirror: ServiceX bundles its Bitnami sub-charts (each with `common`), MLflow
 * declares optional sub-charts it does not bundle, all off by default.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { missingSubcharts } from "../../src/helm/bundled-deps.js";
import { type ChartNode, readChartArchive } from "../../src/helm/chart-archive.js";
import { CASA, describeWithUpstream, upstreamMirror } from "../support/upstream-mirror.js";

describeWithUpstream(
  "chart archives and their bundled dependencies (real charts)",
  ["helm"],
  () => {
    let mirror: string;
    const archive = async (rel: string): Promise<ChartNode> =>
      readChartArchive(await readFile(path.join(mirror, "charts", rel)));
    beforeAll(async () => {
      mirror = await upstreamMirror();
    });

    it("reads ServiceX 1.5.3 with its three Bitnami sub-charts, each bundling common", async () => {
      const sx = await archive("ssl-helm-charts/servicex-1.5.3.tgz");
      expect([sx.name, sx.version, sx.meta.apiVersion]).toEqual(["servicex", "1.5.3", "v1"]);
      // apiVersion v1: the dependencies come from requirements.yaml.
      expect(sx.dependencies.map((d) => `${d.name} ${d.version}`)).toEqual([
        "rabbitmq 11.4.*",
        "minio 11.10.*",
        "postgresql 11.6.*",
      ]);
      expect(sx.subcharts.map((s) => `${s.name} ${s.version}`).sort()).toEqual([
        "minio 11.10.26",
        "postgresql 11.6.26",
        "rabbitmq 11.4.0",
      ]);
      for (const s of sx.subcharts) expect(s.subcharts.map((c) => c.name)).toEqual(["common"]);
      expect(missingSubcharts(sx, [{}])).toEqual([]);
    });

    it("accepts MLflow's unbundled optional sub-charts while they are off, and names one turned on", async () => {
      const mlflow = await archive("community-charts/mlflow-1.11.5.tgz");
      expect(mlflow.subcharts).toEqual([]);
      expect(mlflow.dependencies.map((d) => `${d.name} ${d.condition}`)).toEqual([
        "postgresql postgresql.enabled",
        "mysql mysql.enabled",
        "minio minio.enabled",
      ]);
      expect(missingSubcharts(mlflow, [{}, { resources: {} }])).toEqual([]);
      // One profile turning PostgreSQL on is enough to need it.
      expect(missingSubcharts(mlflow, [{}, { postgresql: { enabled: true } }])).toEqual([
        { chart: "mlflow 1.11.5", dependency: "postgresql", version: "18.8.12" },
      ]);
    });

    it("reads the coffea-casa substitute's bundled archives, as the published chart declares them", async () => {
      const casa = await archive(`coffea-casa/coffea-casa-${CASA.version}.tgz`);
      expect(casa.version).toBe(CASA.version); // 2026.1008.3 stays a string
      expect(casa.subcharts.map((s) => `${s.name} ${s.version}`)).toEqual(["jupyterhub 4.4.0"]);
      expect(missingSubcharts(casa, [{}])).toEqual([]);
    });

    it("finds a nested chart's missing dependency through its parent's values", async () => {
      const sx = await archive("ssl-helm-charts/servicex-1.5.3.tgz");
      sx.subcharts = sx.subcharts.filter((s) => s.name !== "rabbitmq");
      const parent: ChartNode = {
        name: "umbrella",
        version: "1.0.0",
        meta: {},
        dependencies: [{ name: "servicex", version: "1.5.3", condition: "servicex.enabled" }],
        values: () => ({}),
        subcharts: [sx],
      };
      expect(missingSubcharts(parent, [{}])).toEqual([
        { chart: "umbrella 1.0.0 → servicex 1.5.3", dependency: "rabbitmq", version: "11.4.*" },
      ]);
      // Turned off by the parent's values under every profile, it is not needed.
      expect(missingSubcharts(parent, [{ servicex: { enabled: false } }])).toEqual([]);
    });

    it("refuses bytes that are not a chart archive", async () => {
      await expect(readChartArchive(Buffer.from("not gzip"))).rejects.toThrow();
    });
  },
);
