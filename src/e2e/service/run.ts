/**
 * `shoppe e2e run --provider local`: the service tier. Decides and checks like every run (the
 * rendered chart matches stack.yaml, the profile, the Kubernetes version, the results
 * directory), builds the dependencies like `chart deps` (from the mirror when set), renders the
 * real umbrella with `helm template`, starts every enabled component's real server software
 * from that rendering as local processes (`tier.ts`), runs the checks against them, stops
 * everything (always), and writes results with tier `service`, the software that answered
 * beside each pin.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { endpointsConfigMapName } from "../../chart/model.js";
import type { Context } from "../../context.js";
import { InputError, UsageError } from "../../errors.js";
import { enabledComponents } from "../../helm/profile-values.js";
import {
  openUmbrella,
  selectProfiles,
  type Umbrella,
  type UmbrellaProfile,
} from "../../helm/umbrella.js";
import { loadMirror } from "../../mirror/mirror-file.js";
import { type Helm, openHelm } from "../../tools/helm.js";
import type { CheckTarget, UpgradeCheck } from "../checks/check.js";
import { applicable, CHECKS } from "../checks/registry.js";
import type { ComponentResult, E2eResults } from "../results/model.js";
import { checkResultsDir, type ResultsDir } from "../results/write.js";
import { afterUpgrade, beforeUpgrade, type CheckEnvironment, runChecks } from "../run/checks.js";
import { releaseFacts } from "../run/facts.js";
import type { BuiltDependencies, E2eRunOptions } from "../run/prepare.js";
import { resolveRef, type UpgradeSource } from "../run/upgrade-source.js";
import { LAUNCHERS, SHARED_LAUNCHERS } from "./launchers/index.js";
import {
  type RenderedRelease,
  renderChartDir,
  renderProjectChart,
  renderRelease,
} from "./render.js";
import {
  type RunFacts,
  type ServiceRun,
  type ServiceRunOutcome,
  serviceResults,
} from "./results.js";
import { ServiceTier } from "./tier.js";

/** The provider name of the service tier. */
export const LOCAL_PROVIDER = "local";

/** How long each server may take to answer, and each check, at most. */
const START_TIMEOUT_MS = 180_000;
const CHECK_TIMEOUT_MS = 120_000;

/** What the run decided before starting anything. */
async function plan(
  ctx: Context,
  o: E2eRunOptions,
  isFresh: () => Promise<{ changed: boolean; chartPath: string; file: string }>,
) {
  if (o.matrix)
    throw new UsageError(
      "--matrix needs a cluster provider; the local service tier renders one Kubernetes version",
    );
  if (o.kubeconfig || o.context)
    throw new UsageError("--kubeconfig and --context are for --provider existing, not local");
  const fresh = await isFresh();
  if (fresh.changed) {
    throw new InputError(
      `failed to run: ${fresh.chartPath} does not match ${fresh.file}; run shoppe render`,
    );
  }
  const u = await openUmbrella(ctx, { file: o.file, chartDir: o.chartDir });
  const [profile] = selectProfiles(u, o.profile ?? "ci") as [UmbrellaProfile];
  const versions = u.stack.kubernetes.versions.map((k) => k.version);
  const want = o.kubeVersion?.replace(/^v/, "");
  if (want && !versions.includes(want)) {
    throw new UsageError(
      `Kubernetes ${want} is not a version stack.yaml supports (${versions.join(", ")})`,
    );
  }
  const kubeVersion = want ?? (versions.at(-1) as string);
  const shown = o.results ?? path.join(".shoppe", "e2e");
  const results: ResultsDir = { dir: path.resolve(ctx.root, shown), shown, root: ctx.root };
  await checkResultsDir(results);
  const commit = o.upgradeFrom ? await resolveRef(ctx, o.upgradeFrom) : undefined;
  return { u, profile, kubeVersion, results, commit };
}

/** Runs the service tier (see the module comment); `isFresh` is render's --check. */
export async function serviceRun(
  ctx: Context,
  o: E2eRunOptions,
  isFresh: () => Promise<{ changed: boolean; chartPath: string; file: string }>,
  buildDeps: () => Promise<BuiltDependencies>,
  prepareUpgrade: (commit: string, profile: string) => Promise<UpgradeSource>,
): Promise<ServiceRun> {
  const p = await plan(ctx, o, isFresh);
  const upgrade = p.commit ? await prepareUpgrade(p.commit, p.profile.name) : undefined;
  try {
    return await runTier(ctx, o, p, buildDeps, upgrade);
  } finally {
    await upgrade?.remove();
  }
}

async function runTier(
  ctx: Context,
  o: E2eRunOptions,
  p: Awaited<ReturnType<typeof plan>>,
  buildDeps: () => Promise<BuiltDependencies>,
  upgrade: UpgradeSource | undefined,
): Promise<ServiceRun> {
  const signal = o.signal ?? new AbortController().signal;
  const because = o.provider?.origin ? `named by ${o.provider.origin}` : "named";
  const deps = await buildDeps();
  const helm = openHelm(ctx, "v4");
  const facts = await runFacts(ctx, o, p.u, deps, helm, because);
  const id = randomBytes(4).toString("hex");
  const namespace = o.namespace ?? `shoppe-e2e-${id}`;
  const started = ctx.now();
  const rendered = await renderRelease(p.u, p.profile, helm, {
    namespace,
    kubeVersion: p.kubeVersion,
  });
  // With --upgrade-from, the tier starts from the old chart's rendering and is upgraded to this one.
  const first = upgrade
    ? await renderChartDir(helm, upgrade.chart, rendered.release, {
        namespace,
        kubeVersion: p.kubeVersion,
      })
    : rendered;
  const enabled = await enabledComponents(p.u, p.profile);
  const tier = new ServiceTier({
    ...first,
    // What the components answer is compared with this stack.yaml's pins (the old rendering has none).
    pins: rendered.pins,
    profile: p.profile.name,
    root: ctx.root,
    runner: ctx.runner,
    envPath: ctx.env.PATH ?? "",
    renderChart: (chart, r) => renderProjectChart(helm, ctx.root, chart, { ...r, namespace }),
    launchers: LAUNCHERS,
    shared: SHARED_LAUNCHERS,
    timeoutMs: Math.min(o.timeoutMs ?? START_TIMEOUT_MS, START_TIMEOUT_MS),
    signal,
    keep: o.keep ?? false,
    // ServiceX's source comes from the mirror's git: entries; its transformers need a kwok API.
    mirror: o.mirror ? await loadMirror(path.resolve(ctx.root, o.mirror), o.mirror) : undefined,
    provider: ctx,
  });
  const on = Object.entries(enabled)
    .filter(([, v]) => v)
    .map(([k]) => k);
  const out: ServiceRunOutcome = {
    facts,
    profile: p.profile.name,
    id,
    namespace,
    started,
    kubeVersion: p.kubeVersion,
    results: p.results,
    enabled,
    components: [],
    checks: [],
  };
  try {
    ctx.logger.info(
      `service tier: starting ${on.join(", ")} from the rendered chart${upgrade ? ` of ${upgrade.ref}` : ""}`,
    );
    out.components = await tier.launch(on);
    const target: CheckTarget = {
      namespace,
      release: rendered.release,
      endpointsConfigMap: endpointsConfigMapName(p.u.stack),
      services: tier.services,
      runner: ctx.runner,
      signal,
    };
    const env = (components: ComponentResult[]): CheckEnvironment => ({
      runsContainers: true,
      hasApi: false,
      notReady: new Set(components.filter((c) => c.status !== "passed").map((c) => c.id)),
      timeoutMs: Math.min(o.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS),
    });
    const registry = o.checks ?? CHECKS;
    if (upgrade) {
      const u = await upgradeTier(tier, {
        source: upgrade,
        before: out.components,
        next: rendered,
        enabled: on,
        target,
        env,
        checks: applicable(registry.upgradeChecks, enabled),
      });
      out.upgrade = u.record;
      out.components = u.components;
    }
    out.checks = await runChecks(applicable(registry.checks, enabled), target, env(out.components));
  } catch (err) {
    if (!signal.aborted) out.failure = err instanceof Error ? err.message : String(err);
  } finally {
    await tier.stop();
    if (o.keep && tier.dir) ctx.logger.info(`kept the service tier's files in ${tier.dir}`);
  }
  out.interrupted = signal.aborted;
  return serviceResults(ctx, out);
}

/**
 * The upgrade, locally: the tier runs the old chart's rendering; each upgrade check's `before`
 * writes through it; every component is relaunched from the new rendering (pods replaced,
 * backing services kept); each `after` reads back.
 */
async function upgradeTier(
  tier: ServiceTier,
  o: {
    source: UpgradeSource;
    before: ComponentResult[];
    next: RenderedRelease;
    enabled: string[];
    target: CheckTarget;
    env: (c: ComponentResult[]) => CheckEnvironment;
    checks: UpgradeCheck[];
  },
): Promise<{ record: NonNullable<E2eResults["upgrade"]>; components: ComponentResult[] }> {
  const record: NonNullable<E2eResults["upgrade"]> = {
    from: { ref: o.source.ref, commit: o.source.commit, chartVersion: o.source.chartVersion },
    status: "not-run",
    components: o.before,
    checks: [],
  };
  if (o.before.some((c) => c.status === "failed")) {
    record.status = "failed";
    record.reason = `the release from ${o.source.ref} did not start, so it was not upgraded`;
    return { record, components: o.before };
  }
  const memos = await beforeUpgrade(o.checks, o.target, o.env(o.before));
  const components = await tier.relaunch(o.next, o.enabled);
  record.checks = await afterUpgrade(memos, o.target, o.env(components));
  record.status =
    record.checks.some((c) => c.status === "failed") ||
    components.some((c) => c.status === "failed")
      ? "failed"
      : "passed";
  if (!record.checks.some((c) => c.needs.includes("live-service") && c.status === "passed")) {
    record.reason = "no upgrade check wrote and read data through a live service";
  }
  return { record, components };
}

/** The facts every results file records: stack, chart and dependencies, git, tools. */
async function runFacts(
  ctx: Context,
  o: E2eRunOptions,
  u: Umbrella,
  deps: BuiltDependencies,
  helm: Helm,
  because: string,
): Promise<RunFacts> {
  return {
    provider: {
      name: LOCAL_PROVIDER,
      chosenBecause: because,
      runsContainers: false,
      realControlPlane: false,
    },
    ...(await releaseFacts(ctx, o.file ?? "stack.yaml", u, deps, helm, LOCAL_PROVIDER)),
  };
}
