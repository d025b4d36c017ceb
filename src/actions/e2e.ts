/**
 * `shoppe e2e run` and `shoppe e2e matrix`. The run decides and checks everything first
 * (src/e2e/run/prepare.ts): bad input is exit 2 with nothing created. Then it builds the
 * umbrella's dependencies like `shoppe chart deps` (from the mirror when one is set), runs each
 * Kubernetes version (src/e2e/run/execute.ts) and writes one results directory per version:
 * results.json, junit.xml, summary.md and, after a failure, the diagnostics bundle.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Context } from "../context.js";
import { getProvider } from "../e2e/providers/registry.js";
import type { E2eResults } from "../e2e/results/model.js";
import { runStamp } from "../e2e/results/shared-parts.js";
import { appendStepSummary, type ResultsDir, runFiles, writeRun } from "../e2e/results/write.js";
import { runVersion } from "../e2e/run/execute.js";
import type { PlannedVersion } from "../e2e/run/plan.js";
import { type E2eRunOptions, planRun, runSetup } from "../e2e/run/prepare.js";
import { notRunResults, type RunSetup, type VersionRun } from "../e2e/run/setup.js";
import { prepareUpgradeSource, type UpgradeSource } from "../e2e/run/upgrade-source.js";
import { LOCAL_PROVIDER, serviceRun } from "../e2e/service/run.js";
import { InterruptedError } from "../errors.js";
import { loadStack } from "../manifest/load.js";
import { openHelm } from "../tools/helm.js";
import { chartDeps } from "./chart-deps.js";
import { render } from "./render.js";

export type { E2eRunOptions };

/** One version's results on disk. */
export interface E2eRunEntry {
  /** The run's directory, relative to the project root. */
  dir: string;
  results: E2eResults;
  kept?: string[];
}

/** What `e2e run` did. */
export interface E2eRunResult {
  status: "passed" | "failed";
  provider: string;
  /** Why this provider (named, or what detection found). */
  because: string;
  resultsDir: string;
  runs: E2eRunEntry[];
}

/** A run's ids: `id` names its cluster and namespace, `runId` its results, `dir` its directory. */
function newIds(ctx: Context, provider: string, version: string) {
  const id = randomBytes(4).toString("hex");
  const at = runStamp(ctx.now());
  return { id, runId: `${at}-${id}`, dir: `${at}-${provider}-k${version}-${id}` };
}

/** Runs the e2e tier (see the module comment). */
export async function e2eRun(ctx: Context, o: E2eRunOptions = {}): Promise<E2eRunResult> {
  const mirror = o.mirror ? { mirror: o.mirror } : {};
  if (o.provider?.name === LOCAL_PROVIDER) return localRun(ctx, o);
  const p = await planRun(ctx, o, () =>
    render(ctx, {
      check: true,
      ...(o.file ? { file: o.file } : {}),
      ...(o.chartDir ? { output: o.chartDir } : {}),
    }),
  );
  ctx.logger.info(`provider ${p.provider.name}: ${p.because}`);
  const signal = o.signal ?? new AbortController().signal;
  let upgrade: UpgradeSource | undefined;
  try {
    if (o.upgradeFrom && p.commit) {
      const absolute = o.mirror ? { mirror: path.resolve(ctx.root, o.mirror) } : {};
      upgrade = await prepareUpgradeSource(
        ctx,
        { ref: o.upgradeFrom, commit: p.commit, profile: p.profile.name },
        async (old) => {
          await render(old, { signal });
          await chartDeps(old, { signal, ...absolute });
        },
      );
    }
    const deps = await chartDeps(ctx, { file: o.file, chartDir: o.chartDir, signal, ...mirror });
    const helm = openHelm(ctx, "v4");
    const setup = await runSetup(ctx, o, p, deps, helm, upgrade);
    const runs: E2eRunEntry[] = [];
    for (const v of p.versions) {
      const entry = await runOne(ctx, setup, v, p.results, signal);
      runs.push(entry);
      if (entry.results.status === "interrupted") {
        throw InterruptedError.of(
          signal,
          (received) =>
            `e2e run interrupted (${received}); everything it created was removed${entry.kept ? " except what --keep keeps" : ""}; results in ${entry.dir}`,
        );
      }
    }
    const failed = runs.some((r) => r.results.status === "failed");
    return {
      status: failed ? "failed" : "passed",
      provider: p.provider.name,
      because: p.because,
      resultsDir: p.results.shown,
      runs,
    };
  } finally {
    await upgrade?.remove();
  }
}

/** The service tier (`--provider local`, src/e2e/service/run.ts) as an e2e run. */
async function localRun(ctx: Context, o: E2eRunOptions): Promise<E2eRunResult> {
  const signal = o.signal ?? new AbortController().signal;
  const run = await serviceRun(
    ctx,
    o,
    () =>
      render(ctx, {
        check: true,
        ...(o.file ? { file: o.file } : {}),
        ...(o.chartDir ? { output: o.chartDir } : {}),
      }),
    () =>
      chartDeps(ctx, {
        file: o.file,
        chartDir: o.chartDir,
        signal,
        ...(o.mirror ? { mirror: o.mirror } : {}),
      }),
    (commit, profile) => {
      const absolute = o.mirror ? { mirror: path.resolve(ctx.root, o.mirror) } : {};
      return prepareUpgradeSource(
        ctx,
        { ref: o.upgradeFrom as string, commit, profile },
        async (old) => {
          await render(old, { signal });
          await chartDeps(old, { signal, ...absolute });
        },
      );
    },
  );
  const entry: E2eRunEntry = { dir: path.relative(ctx.root, run.dir), results: run.results };
  if (run.results.status === "interrupted") {
    throw InterruptedError.of(
      signal,
      (received) =>
        `e2e run interrupted (${received}); every local process was stopped; results in ${entry.dir}`,
    );
  }
  return {
    status: run.results.status === "passed" ? "passed" : "failed",
    provider: LOCAL_PROVIDER,
    because: run.results.provider.chosenBecause,
    resultsDir: o.results ?? path.join(".shoppe", "e2e"),
    runs: [entry],
  };
}

/** Runs (or records as not run) one version and writes its results. */
async function runOne(
  ctx: Context,
  setup: RunSetup,
  v: PlannedVersion,
  results: ResultsDir,
  signal: AbortSignal,
): Promise<E2eRunEntry> {
  const ids = newIds(ctx, setup.provider.name, v.pin.version);
  const notRun = (why: string): VersionRun => ({
    results: notRunResults(setup, v.pin.version, ids.runId, why, ctx.now()),
  });
  const run: VersionRun = !v.runnable.available
    ? notRun(v.runnable.reason ?? "the provider cannot run it")
    : signal.aborted
      ? notRun("interrupted")
      : await runVersion(setup, v.pin, ids, signal);
  const dir = await writeRun(results, ids.dir, runFiles(run.results, run.bundle));
  await appendStepSummary(ctx.env, run.results);
  return {
    dir: path.relative(ctx.root, dir),
    results: run.results,
    ...(run.kept ? { kept: run.kept } : {}),
  };
}

/** One row of the matrix: a Kubernetes version and whether the provider can run it. */
export interface MatrixEntry {
  kubernetes: string;
  kindNodeImage?: string;
  runnable: boolean;
  reason?: string;
}

/** What `e2e matrix` returns: GitHub's `strategy.matrix` shape. */
export interface E2eMatrixResult {
  provider: string;
  include: MatrixEntry[];
}

/** Every Kubernetes version of stack.yaml and whether `provider` (default kind) can run it. */
export async function e2eMatrix(
  ctx: Context,
  o: { provider?: string; file?: string } = {},
): Promise<E2eMatrixResult> {
  const shown = o.file ?? "stack.yaml";
  const { stack } = await loadStack(path.resolve(ctx.root, shown), { shownAs: shown });
  const name = o.provider ?? "kind";
  const provider = getProvider(name, ctx);
  const include: MatrixEntry[] = [];
  for (const k of stack.kubernetes.versions) {
    const image = k.kindNodeImage ? { kindNodeImage: k.kindNodeImage } : {};
    const d = await provider.canRun({ version: k.version, ...image });
    include.push({
      kubernetes: k.version,
      ...image,
      runnable: d.available,
      ...(d.reason ? { reason: d.reason } : {}),
    });
  }
  return { provider: name, include };
}
