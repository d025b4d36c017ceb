/**
 * What the `shoppe e2e run` suites share: reading a run's results (validated against the
 * committed JSON Schema), its bundle, and the proof that nothing was left behind (no cluster
 * state, no process whose command line names the clusters' directory, no bound port).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { isPortFree } from "../../src/e2e/providers/common/ports.js";
import { isAlive } from "../../src/e2e/providers/common/process-table.js";
import type { ClusterState } from "../../src/e2e/providers/common/state.js";
import { E2E_RESULTS_SCHEMA_FILE, type E2eResults } from "../../src/e2e/results/model.js";
import { readTarGz } from "../../src/helm/tar-gz.js";
import { ROOT } from "../../test/helpers/tools.js";

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(path.join(ROOT, E2E_RESULTS_SCHEMA_FILE), "utf8")),
);

/** One run directory of a results directory. */
export interface RunDir {
  dir: string;
  results: E2eResults;
  files: string[];
}

/** Every run under `resultsDir`, each results.json checked against the committed schema. */
export function readRuns(resultsDir: string): RunDir[] {
  return readdirSync(resultsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = path.join(resultsDir, d.name);
      const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
      expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
      return { dir, results: results as E2eResults, files: readdirSync(dir).sort() };
    });
}

/** The files of a run's bundle, by path below the archive's top directory. */
export async function readBundle(runDir: string): Promise<Map<string, string>> {
  const files = await readTarGz(readFileSync(path.join(runDir, "bundle.tar.gz")));
  return new Map([...files].map(([k, v]) => [k.split("/").slice(1).join("/"), v.toString("utf8")]));
}

/** Live processes whose command line mentions `text`, from /proc. */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(text)) found.push(`${pid}: ${cmd.slice(0, 100)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The state of every cluster under `clustersDir` right now. */
export function clusterStates(clustersDir: string): ClusterState[] {
  if (!existsSync(clustersDir)) return [];
  return readdirSync(clustersDir)
    .map((n) => path.join(clustersDir, n, "cluster.json"))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as ClusterState);
}

/** Nothing of `states` remains: no state directory, process or bound port. */
export async function expectNothingLeft(
  clustersDir: string,
  states: ClusterState[] = [],
): Promise<void> {
  expect(existsSync(clustersDir) ? readdirSync(clustersDir) : []).toEqual([]);
  expect(processesMentioning(`${clustersDir}/`)).toEqual([]);
  for (const st of states) {
    expect(st.processes.filter((p) => isAlive(p)).map((p) => p.name)).toEqual([]);
    for (const port of Object.values(st.ports))
      expect(await isPortFree(port), `port ${port}`).toBe(true);
  }
}
