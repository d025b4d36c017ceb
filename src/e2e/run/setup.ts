/**
 * What the steps of one run share: the setup every Kubernetes version starts from, the state a
 * run builds up (so cleanup knows what exists whatever step failed), and two small helpers.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { Context } from "../../context.js";
import { CommandError } from "../../errors.js";
import type { AttributionScope } from "../../inspect/attribution.js";
import { withProgress } from "../../log.js";
import type { Helm } from "../../tools/helm.js";
import type { CheckRegistry } from "../checks/registry.js";
import type { Cluster, ClusterProvider, ProviderCapabilities } from "../providers/provider.js";
import type { NamespaceWatch } from "../readiness/watch.js";
import type { CheckResult, ComponentResult, E2eResults } from "../results/model.js";
import { disabledComponents } from "../results/shared-parts.js";
import type { RunReporter } from "./events.js";
import type { ChartToInstall } from "./release.js";
import type { UpgradeSource } from "./upgrade-source.js";

/** What every version of a run shares. */
export interface RunSetup {
  ctx: Context;
  provider: ClusterProvider;
  helm: Helm;
  release: string;
  chart: ChartToInstall;
  profile: string;
  /** Component id → enabled under the profile. */
  enabled: Record<string, boolean>;
  scope: AttributionScope;
  endpointsConfigMap: string;
  checks: CheckRegistry;
  timeoutMs: number;
  keep: boolean;
  /** A namespace the user chose; default shoppe-e2e-<id>. */
  namespace?: string | undefined;
  upgrade?: UpgradeSource | undefined;
  /** kwok's simulated nodes. */
  nodes: { count: number; resources: { cpu: string; memory: string; gpus: number } };
  /** The results skeleton every version starts from (facts, chart, stack). */
  base: Omit<
    E2eResults,
    | "runId"
    | "status"
    | "startedAt"
    | "finishedAt"
    | "durationMs"
    | "kubernetes"
    | "components"
    | "checks"
    | "warnings"
    | "teardown"
    | "tier"
  >;
  report: RunReporter;
}

/** One version's outcome. */
export interface VersionRun {
  results: E2eResults;
  bundle?: Buffer;
  /** How to reach and delete what --keep kept. */
  kept?: string[];
}

/** Mutable state of one run, for cleanup whatever step failed. */
export interface RunState {
  cluster?: Cluster;
  kc?: KubeConfig;
  namespace?: string;
  installed: boolean;
  watch?: NamespaceWatch;
  caps: ProviderCapabilities;
  sawContainers: boolean;
  components: ComponentResult[];
  checks: CheckResult[];
  upgrade?: E2eResults["upgrade"];
  served?: string;
  failure?: string;
}

/** Runs one step under a progress line. */
export function step<T>(ctx: Context, title: string, fn: () => Promise<T>): Promise<T> {
  return withProgress(ctx.progress, title, fn);
}

/** A failure in words: the error's message and, for a program, the last lines it printed. */
export function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof CommandError && err.output) {
    const tail = err.output.split("\n").filter(Boolean).slice(-3).join(" | ");
    return `${message}: ${tail}`;
  }
  return message;
}

/** Components disabled under the profile, reported as such (never as passed). */
export function disabled(setup: RunSetup): ComponentResult[] {
  return disabledComponents(setup.enabled, setup.profile);
}

/** The results of a version that was not run, and why (the provider cannot run it, an interrupt). */
export function notRunResults(
  setup: RunSetup,
  version: string,
  runId: string,
  reason: string,
  at: Date,
): E2eResults {
  const { apiVersion, kind, ...facts } = setup.base;
  return {
    apiVersion,
    kind,
    runId,
    status: "not-run",
    reason,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    durationMs: 0,
    ...facts,
    kubernetes: { version },
    components: Object.keys(setup.enabled).map((id) => ({
      id,
      status: "not-run",
      reason,
      workloads: [],
    })),
    checks: [],
    warnings: [],
    teardown: { status: "not-needed" },
  };
}
