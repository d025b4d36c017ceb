/**
 * One run on one Kubernetes version, as an ordered list of steps with owned cleanup (kind's
 * create actions are the model): provision → namespace → watch → helm install → readiness →
 * (upgrade: checks before, helm upgrade, readiness) → checks. Whatever happens (success, a
 * failure, a timeout, Ctrl-C or SIGTERM) the diagnostics are collected first when something
 * failed, then everything the run created is removed unless --keep, and the results say what
 * ran, what did not, and why.
 */
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { ClusterServices } from "../access/cluster.js";
import type { CheckTarget } from "../checks/check.js";
import { applicable } from "../checks/registry.js";
import type { KubernetesPin } from "../providers/provider.js";
import { NamespaceWatch } from "../readiness/watch.js";
import type { CheckResult, ComponentResult, E2eResults, Tier } from "../results/model.js";
import { afterUpgrade, beforeUpgrade, type CheckEnvironment, runChecks } from "./checks.js";
import { runBundle, teardownRun } from "./cleanup.js";
import type { ReadinessPhase } from "./events.js";
import { createRunNamespace, namespaceFor, requireFreeNamespace } from "./namespace.js";
import { NamespaceObserver } from "./observe.js";
import { awaitReadiness, componentResult, type ReadinessOutcome } from "./readiness.js";
import {
  type ChartToInstall,
  installedWorkloads,
  installRelease,
  type ReleaseOptions,
  upgradeRelease,
} from "./release.js";
import {
  describe,
  disabled,
  type RunSetup,
  type RunState,
  step,
  type VersionRun,
} from "./setup.js";

class VersionRunner {
  private readonly st: RunState;
  private readonly observer: NamespaceObserver;
  /** Port-forwards of the live checks, opened on first use, closed before teardown. */
  private services?: ClusterServices;

  constructor(
    private readonly s: RunSetup,
    private readonly pin: KubernetesPin,
    private readonly id: string,
    private readonly runId: string,
    private readonly signal: AbortSignal,
  ) {
    this.st = {
      installed: false,
      caps: s.provider.capabilities,
      sawContainers: false,
      components: [],
      checks: [],
    };
    this.observer = new NamespaceObserver((warning) => s.report({ type: "warning", warning }));
  }

  private get releaseOptions(): ReleaseOptions {
    return {
      helm: this.s.helm,
      release: this.s.release,
      target: {
        namespace: this.st.namespace as string,
        kubeconfig: this.st.cluster?.kubeconfig as string,
        kubeContext: this.st.cluster?.context,
      },
      timeout: `${Math.ceil(this.s.timeoutMs / 1000)}s`,
      signal: this.signal,
    };
  }

  private target(): CheckTarget {
    const kc = this.st.kc as KubeConfig;
    const namespace = this.st.namespace as string;
    if (this.st.caps.runsContainers && !this.services) {
      this.services = new ClusterServices(kc, namespace, this.s.endpointsConfigMap);
    }
    return {
      kc,
      namespace,
      release: this.s.release,
      endpointsConfigMap: this.s.endpointsConfigMap,
      services: this.services,
      runner: this.s.ctx.runner,
      signal: this.signal,
    };
  }

  private async provision(): Promise<void> {
    const { provider } = this.s;
    const cluster = await step(
      this.s.ctx,
      `${provider.name}: ${provider.capabilities.ownsCluster ? "create" : "connect to"} the cluster for Kubernetes ${this.pin.version}`,
      () =>
        provider.create({
          name: `shoppe-e2e-${this.id}`,
          lifetime: this.s.keep ? "persistent" : "session",
          kubernetesVersion: this.pin.version,
          ...(this.pin.kindNodeImage ? { nodeImage: this.pin.kindNodeImage } : {}),
          ...(provider.name === "kwok"
            ? { nodes: this.s.nodes.count, nodeResources: this.s.nodes.resources }
            : {}),
          signal: this.signal,
        }),
    );
    this.st.cluster = cluster;
    this.st.caps = cluster.capabilities ?? provider.capabilities;
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    if (cluster.context) kc.setCurrentContext(cluster.context);
    this.st.kc = kc;
    this.st.served = (await kc.makeApiClient(VersionApi).getCode()).gitVersion;
  }

  private async openNamespace(): Promise<void> {
    const kc = this.st.kc as KubeConfig;
    const ns = this.s.namespace ?? namespaceFor(this.id);
    await requireFreeNamespace(kc, ns);
    await createRunNamespace(kc, ns, this.runId);
    this.st.namespace = ns;
    const watch = new NamespaceWatch(kc, ns, this.observer.handle, this.s.ctx.logger);
    this.st.watch = watch;
    await watch.start();
  }

  /** One readiness phase of what helm just installed or upgraded. */
  private async ready(phase: ReadinessPhase): Promise<ReadinessOutcome> {
    const expected = await installedWorkloads(this.releaseOptions, this.s.scope);
    // A first install's objects are all new: only an upgrade has older copies to tell apart.
    const minGeneration =
      phase === "after-upgrade" ? await (this.st.watch as NamespaceWatch).generations() : new Map();
    const components = Object.entries(this.s.enabled)
      .filter(([, on]) => on)
      .map(([id]) => id);
    const outcome = await awaitReadiness({
      observer: this.observer,
      expected,
      components,
      timeoutMs: this.s.timeoutMs,
      minGeneration,
      signal: this.signal,
      onViews: (views) => this.s.report({ type: "components", phase, views }),
    });
    this.st.sawContainers ||= outcome.sawContainers;
    return outcome;
  }

  private results(o: ReadinessOutcome): ComponentResult[] {
    return [...o.views.map((v) => componentResult(v, o.startedAt)), ...disabled(this.s)];
  }

  private env(components: ComponentResult[]): CheckEnvironment {
    const notReady = new Set(
      components.filter((c) => c.status !== "passed" && c.status !== "skipped").map((c) => c.id),
    );
    return {
      runsContainers: this.st.caps.runsContainers,
      notReady,
      timeoutMs: Math.min(this.s.timeoutMs, 120_000),
    };
  }

  /** The steps up to the checks; a thrown error is the run's failure. */
  async work(): Promise<void> {
    await this.provision();
    await this.openNamespace();
    const up = this.s.upgrade;
    const first: ChartToInstall = up ? up.chart : this.s.chart;
    await step(
      this.s.ctx,
      `helm install ${this.s.release}${up ? ` from ${up.ref}` : ""} (profile ${this.s.profile})`,
      () => installRelease(this.releaseOptions, first),
    );
    this.st.installed = true;
    let outcome = await this.ready(up ? "before-upgrade" : "install");
    if (outcome.interrupted) return;
    const upgradeChecks = applicable(this.s.checks.upgradeChecks, this.s.enabled);
    if (up) {
      const before = this.results(outcome);
      this.st.upgrade = {
        from: { ref: up.ref, commit: up.commit, chartVersion: up.chartVersion },
        status: "not-run",
        components: before,
        checks: [],
      };
      if (before.some((c) => c.status === "failed")) {
        this.st.upgrade.status = "failed";
        this.st.upgrade.reason = `the release from ${up.ref} did not become ready, so it was not upgraded`;
        return;
      }
      const memos = await beforeUpgrade(upgradeChecks, this.target(), this.env(before));
      await step(this.s.ctx, `helm upgrade ${this.s.release} to the current chart`, () =>
        upgradeRelease(this.releaseOptions, this.s.chart),
      );
      outcome = await this.ready("after-upgrade");
      if (outcome.interrupted) return;
      this.st.components = this.results(outcome);
      const checks = await afterUpgrade(memos, this.target(), this.env(this.st.components));
      this.st.upgrade.checks = checks;
      this.st.upgrade.status = upgradeStatus(checks, this.st.components);
      const live = upgradeChecks.filter((c) => c.needs.includes("live-service"));
      if (live.length === 0) {
        this.st.upgrade.reason =
          "no registered upgrade check writes data through a live service for the enabled components, so data survival is not proven (claims-kept shows only that the volumes were kept)";
      } else if (!this.st.caps.runsContainers) {
        this.st.upgrade.reason = "pods are simulated: no data was written through a live service";
      }
    } else {
      this.st.components = this.results(outcome);
    }
    const smoke = applicable(this.s.checks.checks, this.s.enabled);
    this.st.checks = await step(this.s.ctx, `checks (${smoke.length})`, () =>
      runChecks(smoke, this.target(), this.env(this.st.components)),
    );
  }

  private failed(): boolean {
    return (
      this.st.failure !== undefined ||
      this.st.components.some((c) => c.status === "failed") ||
      this.st.checks.some((c) => c.status === "failed") ||
      this.st.upgrade?.status === "failed"
    );
  }

  private tier(): Tier | undefined {
    if (!this.st.installed) return undefined;
    if (this.st.caps.runsContainers && this.st.sawContainers) return "cluster";
    return this.st.caps.realControlPlane ? "control-plane" : undefined;
  }

  async run(): Promise<VersionRun> {
    const started = this.s.ctx.now();
    try {
      await this.work();
    } catch (err) {
      if (!this.signal.aborted) this.st.failure = describe(err);
    }
    this.st.watch?.stop();
    await this.services?.close();
    const interrupted = this.signal.aborted;
    const bundle =
      !interrupted && this.failed()
        ? await runBundle(this.s, this.st, this.observer, { runId: this.runId, pin: this.pin })
        : undefined;
    const teardown = await teardownRun(this.s, this.st, this.runId);
    const finished = this.s.ctx.now();
    const status = interrupted ? "interrupted" : this.failed() ? "failed" : "passed";
    const tier = this.tier();
    const { apiVersion, kind, ...facts } = this.s.base;
    const results: E2eResults = {
      apiVersion,
      kind,
      runId: this.runId,
      status,
      ...(this.st.failure
        ? { reason: this.st.failure }
        : interrupted
          ? { reason: "interrupted by a signal" }
          : {}),
      ...(tier ? { tier } : {}),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      ...facts,
      provider: {
        ...this.s.base.provider,
        runsContainers: this.st.caps.runsContainers,
        realControlPlane: this.st.caps.realControlPlane,
      },
      kubernetes: {
        version: this.pin.version,
        ...(this.st.served ? { served: this.st.served } : {}),
        ...(this.pin.kindNodeImage && this.s.provider.name === "kind"
          ? { nodeImage: this.pin.kindNodeImage }
          : {}),
      },
      ...(this.st.namespace ? { namespace: this.st.namespace, release: this.s.release } : {}),
      components: this.st.components.length ? this.st.components : this.notReached(),
      checks: this.st.checks,
      ...(this.st.upgrade ? { upgrade: this.st.upgrade } : {}),
      warnings: this.observer.attributedWarnings(),
      ...(bundle ? { bundle: "bundle.tar.gz" } : {}),
      teardown: teardown.status,
    };
    return {
      results,
      ...(bundle ? { bundle } : {}),
      ...(teardown.kept ? { kept: teardown.kept } : {}),
    };
  }

  /** Every component as not run, when the run never got to readiness. */
  private notReached(): ComponentResult[] {
    const why = this.signal.aborted ? "interrupted" : "the run failed before readiness";
    return [
      ...Object.entries(this.s.enabled)
        .filter(([, on]) => on)
        .map(([id]): ComponentResult => ({ id, status: "not-run", reason: why, workloads: [] })),
      ...disabled(this.s),
    ];
  }
}

function upgradeStatus(checks: CheckResult[], components: ComponentResult[]): "passed" | "failed" {
  return checks.some((c) => c.status === "failed") || components.some((c) => c.status === "failed")
    ? "failed"
    : "passed";
}

/** Runs one Kubernetes version (see the module comment). */
export function runVersion(
  setup: RunSetup,
  pin: KubernetesPin,
  ids: { id: string; runId: string },
  signal: AbortSignal,
): Promise<VersionRun> {
  return new VersionRunner(setup, pin, ids.id, ids.runId, signal).run();
}
