/**
 * Everything `shoppe e2e run` decides and checks before it creates anything (the provider, a
 * chart that matches stack.yaml, the profile, the Kubernetes versions, the provider's tools or
 * cluster, a namespace of the user's choosing, the results directory, the --upgrade-from ref),
 * and the setup every version then starts from. Bad input here is exit 2 with nothing created.
 */
import path from "node:path";
import { endpointsConfigMapName } from "../../chart/model.js";
import type { Context } from "../../context.js";
import { InputError } from "../../errors.js";
import { enabledComponents } from "../../helm/profile-values.js";
import {
  attributionScope,
  openUmbrella,
  profileValues,
  selectProfiles,
  type Umbrella,
  type UmbrellaProfile,
} from "../../helm/umbrella.js";
import type { Helm } from "../../tools/helm.js";
import { CHECKS, type CheckRegistry } from "../checks/registry.js";
import { defaultStateRoot } from "../providers/common/state.js";
import { loadKubeconfig } from "../providers/existing/kubeconfig.js";
import type { ClusterProvider } from "../providers/provider.js";
import { checkResultsDir, type ResultsDir } from "../results/write.js";
import type { RunReporter } from "./events.js";
import { releaseFacts } from "./facts.js";
import { requireFreeNamespace } from "./namespace.js";
import { chooseProvider, type PlannedVersion, planVersions } from "./plan.js";
import type { RunSetup } from "./setup.js";
import { resolveRef, type UpgradeSource } from "./upgrade-source.js";

/** Options of `e2e run`. */
export interface E2eRunOptions {
  /** The provider and where its name came from (`--provider`, SHOPPE_PROVIDER…); absent: detect. */
  provider?: { name: string; origin: string } | undefined;
  /** Default "ci". */
  profile?: string | undefined;
  kubeVersion?: string | undefined;
  matrix?: boolean | undefined;
  upgradeFrom?: string | undefined;
  keep?: boolean | undefined;
  /** Per-component readiness timeout; default 10 minutes. */
  timeoutMs?: number | undefined;
  /** Results directory, relative to the project root; default .shoppe/e2e. */
  results?: string | undefined;
  mirror?: string | undefined;
  clustersDir?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  file?: string | undefined;
  chartDir?: string | undefined;
  signal?: AbortSignal | undefined;
  report?: RunReporter | undefined;
  /** The checks to run; default the registry (tests pass their own). */
  checks?: CheckRegistry | undefined;
}

/** Default per-component readiness timeout. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** kwok's simulated nodes: the size of a small facility, one GPU each (Triton asks for one). */
const KWOK_NODES = { count: 2, resources: { cpu: "32", memory: "128Gi", gpus: 1 } };

/** What was decided. */
export interface RunPlan {
  provider: ClusterProvider;
  because: string;
  u: Umbrella;
  profile: UmbrellaProfile;
  versions: PlannedVersion[];
  results: ResultsDir;
  /** The commit --upgrade-from names. */
  commit?: string | undefined;
}

/**
 * Decides and checks (see the module comment); `isFresh` compares the rendered chart with
 * stack.yaml (the render action's --check).
 */
export async function planRun(
  ctx: Context,
  o: E2eRunOptions,
  isFresh: () => Promise<{ changed: boolean; chartPath: string; file: string }>,
): Promise<RunPlan> {
  const stateRoot = o.clustersDir
    ? path.resolve(ctx.root, o.clustersDir)
    : defaultStateRoot(ctx.root);
  const { provider, because } = await chooseProvider(ctx, o.provider, {
    stateRoot,
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(o.context ? { context: o.context } : {}),
  });
  const fresh = await isFresh();
  if (fresh.changed) {
    throw new InputError(
      `failed to run: ${fresh.chartPath} does not match ${fresh.file}; run shoppe render`,
    );
  }
  const u = await openUmbrella(ctx, { file: o.file, chartDir: o.chartDir });
  const [profile] = selectProfiles(u, o.profile ?? "ci");
  const versions = await planVersions(u.stack, provider, o);
  if (provider.capabilities.ownsCluster) {
    const d = await provider.detect();
    if (!d.available)
      throw new InputError(`failed to use the ${provider.name} provider: ${d.reason}`);
  } else if (o.namespace) {
    await requireFreeNamespace((await loadKubeconfig(o, ctx.env, ctx.root)).kc, o.namespace);
  }
  const shown = o.results ?? path.join(".shoppe", "e2e");
  const results: ResultsDir = { dir: path.resolve(ctx.root, shown), shown, root: ctx.root };
  await checkResultsDir(results);
  const commit = o.upgradeFrom ? await resolveRef(ctx, o.upgradeFrom) : undefined;
  return { provider, because, u, profile: profile as UmbrellaProfile, versions, results, commit };
}

/** What the dependency build reported, as the results record it. */
export interface BuiltDependencies {
  dependencies: { component: string; name: string; version: string }[];
  substitutions: { component: string; reason: string }[];
}

/** The setup every version starts from: the release, the checks, and the facts results record. */
export async function runSetup(
  ctx: Context,
  o: E2eRunOptions,
  p: RunPlan,
  deps: BuiltDependencies,
  helm: Helm,
  upgrade: UpgradeSource | undefined,
): Promise<RunSetup> {
  return {
    ctx,
    provider: p.provider,
    helm,
    release: p.u.stack.release.name,
    chart: { chartDir: p.u.chartDir, valuesFiles: profileValues(p.profile) },
    profile: p.profile.name,
    enabled: await enabledComponents(p.u, p.profile),
    scope: attributionScope(p.u),
    endpointsConfigMap: endpointsConfigMapName(p.u.stack),
    checks: o.checks ?? CHECKS,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    keep: o.keep ?? false,
    namespace: o.namespace,
    upgrade,
    nodes: KWOK_NODES,
    report: o.report ?? (() => {}),
    base: {
      apiVersion: "shoppe.coffea-casa.io/v1alpha1",
      kind: "E2eResults",
      provider: {
        name: p.provider.name,
        chosenBecause: p.because,
        runsContainers: p.provider.capabilities.runsContainers,
        realControlPlane: p.provider.capabilities.realControlPlane,
      },
      profile: p.profile.name,
      ...(await releaseFacts(ctx, o.file ?? "stack.yaml", p.u, deps, helm, p.provider.name)),
    },
  };
}
