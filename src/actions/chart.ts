/**
 * `shoppe chart deps|lint|template|package`: helm's dependency, lint, template and package
 * steps for the rendered umbrella, each failure explained per component (src/helm/explain.ts).
 * `chart deps` lives in chart-deps.ts (staged builds, mirrors, the dependency record).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { CheckFailedError, CommandError } from "../errors.js";
import { packageChecked } from "../helm/archive.js";
import { sha256 } from "../helm/deps.js";
import { readDepsRecord, warnSubstitutes } from "../helm/deps-record.js";
import { explainHelmError } from "../helm/explain.js";
import { type LintFinding, parseLintReport } from "../helm/lint-report.js";
import { newestKubeVersion, releaseOf, renderMatrix, selectKubeVersions } from "../helm/render.js";
import {
  assertDependenciesBuilt,
  openUmbrella,
  profileValues,
  selectProfiles,
  type Umbrella,
  type UmbrellaOptions,
} from "../helm/umbrella.js";
import { describeRemovedApi, findRemovedApis } from "../kube/api-removals.js";
import { type HelmMajor, openHelm } from "../tools/helm.js";

export {
  type ChartDepsOptions,
  type ChartDepsResult,
  chartDeps,
  type LockedDependency,
  type Substitution,
} from "./chart-deps.js";

/** Options of `chart lint`. */
export interface ChartLintOptions extends UmbrellaOptions {
  profile?: string;
  /** Helm majors to lint with; default both pinned ones. */
  majors?: HelmMajor[];
  kubeVersion?: string;
}

/** One lint run: a helm major and a profile. */
export interface LintRun {
  major: HelmMajor;
  profile: string;
  ok: boolean;
  findings: LintFinding[];
  /** The command line of a failed run. */
  command?: string;
}

/** Every lint run; `ok` when all passed. */
export interface ChartLintResult {
  chartDir: string;
  /** Kubernetes version lint checked capabilities and deprecations against. */
  kubeVersion: string;
  ok: boolean;
  runs: LintRun[];
}

/** `helm lint --strict` with each profile's values under each helm major; failures are findings. */
export async function chartLint(
  ctx: Context,
  options: ChartLintOptions = {},
): Promise<ChartLintResult> {
  const u = await openUmbrella(ctx, options);
  await assertDependenciesBuilt(u);
  await warnSubstitutes(u.chartDir, u.chartShown, ctx.logger);
  const profiles = selectProfiles(u, options.profile);
  // Capabilities and deprecation checks against the newest supported Kubernetes, which has
  // removed the most APIs, rather than the version each helm binary happens to default to.
  const kubeVersion = options.kubeVersion ?? newestKubeVersion(u);
  const runs: LintRun[] = [];
  for (const major of options.majors ?? (["v4", "v3"] as HelmMajor[])) {
    const helm = openHelm(ctx, major);
    for (const p of profiles) {
      const step = ctx.progress.start(`helm lint --strict (${major}, profile ${p.name})`);
      try {
        const out = await helm.lint(u.chartDir, profileValues(p), kubeVersion);
        runs.push({ major, profile: p.name, ok: true, findings: parseLintReport(out, u.sources) });
        step.succeed();
      } catch (err) {
        step.fail();
        if (!(err instanceof CommandError)) throw err;
        const findings = parseLintReport(err.output, u.sources);
        runs.push({ major, profile: p.name, ok: false, findings, command: err.command });
      }
    }
  }
  return { chartDir: u.chartShown, kubeVersion, ok: runs.every((r) => r.ok), runs };
}

/** Options of `chart template`. */
export interface ChartTemplateOptions extends UmbrellaOptions {
  profile?: string;
  kubeVersion?: string;
  releaseName?: string;
  namespace?: string;
  major?: HelmMajor;
}

/** One rendering summarised. */
export interface TemplateSummary {
  profile: string;
  kubeVersion: string;
  objects: number;
  /** Kind → count. */
  kinds: Record<string, number>;
  /** Objects whose API this Kubernetes version no longer serves. */
  removedApis: string[];
}

/** Every rendering, summarised, plus the parsed objects for library callers. */
export interface ChartTemplateResult {
  chartDir: string;
  releaseName: string;
  namespace: string;
  ok: boolean;
  renders: TemplateSummary[];
  /** Parsed objects per rendering, same order as `renders` (left out of --json output). */
  objects: import("../kube/objects.js").KubeObject[][];
}

/** `helm template` per profile and supported Kubernetes version, with removed-API checks. */
export async function chartTemplate(
  ctx: Context,
  options: ChartTemplateOptions = {},
): Promise<ChartTemplateResult> {
  const u = await openUmbrella(ctx, options);
  const profiles = selectProfiles(u, options.profile);
  const versions = selectKubeVersions(u, options.kubeVersion);
  const renderings = await renderMatrix(ctx, u, profiles, versions, options);
  const renders = renderings.map((r): TemplateSummary => {
    const kinds: Record<string, number> = {};
    for (const o of r.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    const removed = findRemovedApis(r.objects, r.kubeVersion).map(describeRemovedApi);
    return {
      profile: r.profile,
      kubeVersion: r.kubeVersion,
      objects: r.objects.length,
      kinds,
      removedApis: removed,
    };
  });
  return {
    chartDir: u.chartShown,
    ...releaseOf(u, options),
    ok: renders.every((r) => r.removedApis.length === 0),
    renders,
    objects: renderings.map((r) => r.objects),
  };
}

/** Options of `chart package`. */
export interface ChartPackageOptions extends UmbrellaOptions {
  /** Directory for the .tgz, relative to the project root; default dist/charts. */
  destination?: string;
  major?: HelmMajor;
  /** Package even when charts/ holds substitutes (.shoppe-deps.json): never for publishing. */
  allowSubstitutes?: boolean;
}

/** The packaged chart. */
export interface ChartPackageResult {
  file: string;
  name: string;
  version: string;
  bytes: number;
  sha256: string;
  dependencies: { name: string; version: string }[];
  /** Substitutes packaged with --allow-substitutes: this archive is not the real chart. */
  substitutions: { component: string; chart: string; version: string; reason: string }[];
}

/**
 * The substitutes chart deps recorded; refuses them unless allowed, since a chart built from
 * substitutes must never be published as the real one.
 */
async function recordedSubstitutes(ctx: Context, u: Umbrella, allow: boolean | undefined) {
  const record = await readDepsRecord(u.chartDir, u.chartShown);
  const subs = (record?.dependencies ?? []).flatMap((d) =>
    d.substitute
      ? [{ component: d.component, chart: d.chart, version: d.version, reason: d.substitute }]
      : [],
  );
  if (subs.length === 0) return subs;
  const list = subs.map((d) => `${d.chart} ${d.version} (${d.reason})`).join("; ");
  if (!allow) {
    throw new CheckFailedError(
      `failed to package ${u.chartShown}: charts/ holds substitutes, not the published charts: ${list}; a chart built from substitutes must not be published as the real one: run \`shoppe chart deps\` from the published charts, or pass --allow-substitutes for an archive that is never published`,
    );
  }
  for (const d of subs) {
    ctx.logger.warn(
      `packaging ${d.chart} ${d.version}, a substitute (${d.reason}): do not publish this archive`,
    );
  }
  return subs;
}

/** `helm package` of the umbrella (dependencies must be built), checked with `helm show chart`. */
export async function chartPackage(
  ctx: Context,
  options: ChartPackageOptions = {},
): Promise<ChartPackageResult> {
  const u = await openUmbrella(ctx, options);
  await assertDependenciesBuilt(u);
  const substitutions = await recordedSubstitutes(ctx, u, options.allowSubstitutes);
  const helm = openHelm(ctx, options.major ?? "v4");
  const destination = path.resolve(ctx.root, options.destination ?? path.join("dist", "charts"));
  const step = ctx.progress.start(`helm package ${u.chartShown}`);
  try {
    const { file, meta } = await packageChecked(helm, u, destination);
    step.succeed(path.relative(ctx.root, file));
    return {
      file: path.relative(ctx.root, file) || file,
      name: u.name,
      version: u.version,
      bytes: (await stat(file)).size,
      sha256: await sha256(file),
      dependencies: (meta.dependencies ?? []).map((d) => ({
        name: d.name,
        version: String(d.version),
      })),
      substitutions,
    };
  } catch (err) {
    step.fail();
    if (err instanceof CommandError)
      throw explainHelmError(err, { verb: `package ${u.chartShown}`, umbrella: u });
    throw err;
  }
}
