/**
 * `shoppe chart deps|lint|template|package`: helm's dependency, lint, template and package
 * steps for the rendered umbrella, each failure explained per component (src/helm/explain.ts).
 * Steps where helm writes into the chart (dependency build/update) run on a staged copy, so a
 * failure leaves the previous Chart.lock and charts/ byte for byte as they were.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { Context } from "../context.js";
import { CheckFailedError, CommandError } from "../errors.js";
import { explainHelmError } from "../helm/explain.js";
import { type LintFinding, parseLintReport } from "../helm/lint-report.js";
import { releaseOf, renderMatrix, selectKubeVersions } from "../helm/render.js";
import { type HttpRepository, httpRepositories } from "../helm/repositories.js";
import { withStagedChart } from "../helm/staging.js";
import {
  assertDependenciesBuilt,
  openUmbrella,
  profileValues,
  selectProfiles,
  type Umbrella,
  type UmbrellaOptions,
} from "../helm/umbrella.js";
import { describeRemovedApi, findRemovedApis } from "../kube/api-removals.js";
import { type Helm, type HelmMajor, openHelm } from "../tools/helm.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/** Options of `chart deps`. */
export interface ChartDepsOptions extends UmbrellaOptions {
  /** Re-resolve dependencies and rewrite Chart.lock (`helm dependency update`). */
  update?: boolean;
  /** Fetch OCI charts over plain HTTP; default: on when every OCI registry is on loopback. */
  plainHttp?: boolean;
  major?: HelmMajor;
}

/** One locked dependency. */
export interface LockedDependency {
  component: string;
  name: string;
  version: string;
  repository: string;
  /** The archive in charts/ and its sha256 (Chart.lock's digest covers metadata only). */
  archive: string | undefined;
  sha256: string | undefined;
}

/** What `chart deps` did. */
export interface ChartDepsResult {
  chartDir: string;
  mode: "build" | "update";
  repositories: HttpRepository[];
  plainHttp: boolean;
  /** Chart.lock's digest. */
  lockDigest: string | undefined;
  dependencies: LockedDependency[];
}

/** Adds every HTTP repository of stack.yaml to helm's private home; an unreachable one is named. */
async function addRepositories(helm: Helm, u: Umbrella): Promise<HttpRepository[]> {
  const repos = httpRepositories(u.sources);
  for (const r of repos) {
    try {
      await helm.repoAdd(r.name, r.url);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      throw explainHelmError(err, { verb: `add the chart repository ${r.url}`, umbrella: u });
    }
  }
  return repos;
}

async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

async function lockedDependencies(
  u: Umbrella,
): Promise<{ digest?: string; deps: LockedDependency[] }> {
  const lock = parseYaml(await readFile(path.join(u.chartDir, "Chart.lock"), "utf8")) as {
    digest?: string;
    dependencies?: { name: string; version: string; repository: string }[];
  };
  const archives = await readdir(path.join(u.chartDir, "charts"));
  const deps: LockedDependency[] = [];
  for (const d of u.dependencies) {
    const locked = lock.dependencies?.find(
      (l) => l.name === d.name && l.repository === d.repository,
    );
    const version = String(locked?.version ?? d.version);
    const archive = archives.find((a) => a === `${d.name}-${version}.tgz`);
    deps.push({
      component: d.component,
      name: d.name,
      version,
      repository: d.repository,
      archive,
      sha256: archive ? await sha256(path.join(u.chartDir, "charts", archive)) : undefined,
    });
  }
  return { ...(lock.digest ? { digest: lock.digest } : {}), deps };
}

/** `helm dependency build|update` of the umbrella, staged so a failure changes nothing. */
export async function chartDeps(
  ctx: Context,
  options: ChartDepsOptions = {},
): Promise<ChartDepsResult> {
  const u = await openUmbrella(ctx, options);
  const helm = openHelm(ctx, options.major ?? "v4");
  const repositories = await addRepositories(helm, u);
  const oci = u.sources.filter((s) => s.kind === "oci");
  const plainHttp =
    options.plainHttp ?? (oci.length > 0 && oci.every((s) => LOOPBACK.test(s.registry ?? "")));
  if (plainHttp) ctx.logger.debug("fetching OCI charts over plain HTTP");
  const mode = options.update ? "update" : "build";
  const step = ctx.progress.start(`helm dependency ${mode} ${u.chartShown}`);
  try {
    await withStagedChart(u.chartDir, ["charts", "Chart.lock"], (staged) =>
      // The repositories were just added (and their indexes fetched): no second refresh.
      helm.dependency(mode, staged, { plainHttp, skipRefresh: true }),
    );
  } catch (err) {
    step.fail();
    if (!(err instanceof CommandError)) throw err;
    throw explainHelmError(err, {
      verb: `${mode} the dependencies of ${u.chartShown}`,
      umbrella: u,
    });
  }
  const locked = await lockedDependencies(u);
  step.succeed(`${locked.deps.length} charts`);
  return {
    chartDir: u.chartShown,
    mode,
    repositories,
    plainHttp,
    lockDigest: locked.digest,
    dependencies: locked.deps,
  };
}

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
  const profiles = selectProfiles(u, options.profile);
  const runs: LintRun[] = [];
  for (const major of options.majors ?? (["v4", "v3"] as HelmMajor[])) {
    const helm = openHelm(ctx, major);
    for (const p of profiles) {
      const step = ctx.progress.start(`helm lint --strict (${major}, profile ${p.name})`);
      try {
        const out = await helm.lint(u.chartDir, profileValues(p), options.kubeVersion);
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
  return { chartDir: u.chartShown, ok: runs.every((r) => r.ok), runs };
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
}

/** The packaged chart. */
export interface ChartPackageResult {
  file: string;
  name: string;
  version: string;
  bytes: number;
  sha256: string;
  dependencies: { name: string; version: string }[];
}

/** `helm package` of the umbrella (dependencies must be built), checked with `helm show chart`. */
export async function chartPackage(
  ctx: Context,
  options: ChartPackageOptions = {},
): Promise<ChartPackageResult> {
  const u = await openUmbrella(ctx, options);
  await assertDependenciesBuilt(u);
  const helm = openHelm(ctx, options.major ?? "v4");
  const destination = path.resolve(ctx.root, options.destination ?? path.join("dist", "charts"));
  await mkdir(destination, { recursive: true });
  // Package into a scratch directory beside the destination, then rename: no partial .tgz.
  const scratch = await mkdtemp(path.join(destination, ".package-"));
  const step = ctx.progress.start(`helm package ${u.chartShown}`);
  try {
    const built = await helm.package(u.chartDir, scratch);
    const meta = parseYaml(await helm.showChart(built)) as {
      name?: string;
      version?: string;
      dependencies?: { name: string; version: string }[];
    };
    if (meta.name !== u.name || String(meta.version) !== u.version) {
      throw new CheckFailedError(
        `failed to package ${u.chartShown}: the archive says ${meta.name} ${meta.version}, expected ${u.name} ${u.version}`,
      );
    }
    const file = path.join(destination, path.basename(built));
    await rename(built, file);
    const bytes = (await stat(file)).size;
    step.succeed(path.relative(ctx.root, file));
    return {
      file: path.relative(ctx.root, file) || file,
      name: u.name,
      version: u.version,
      bytes,
      sha256: await sha256(file),
      dependencies: (meta.dependencies ?? []).map((d) => ({
        name: d.name,
        version: String(d.version),
      })),
    };
  } catch (err) {
    step.fail();
    if (err instanceof CommandError)
      throw explainHelmError(err, { verb: `package ${u.chartShown}`, umbrella: u });
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
