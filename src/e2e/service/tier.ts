/**
 * The service tier's processes as one unit: every enabled component's launcher starts in
 * parallel (shared backing services, such as PostgreSQL, once, on first request), each
 * component's outcome is recorded with the software that answered, and `stop()` ends every
 * process it started, whatever happened (a failed launch, a check, Ctrl-C, SIGTERM).
 */
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Runner } from "../../exec/runner.js";
import type { KubeObject } from "../../kube/objects.js";
import type { Mirror } from "../../mirror/mirror-file.js";
import { locate } from "../../tools/locate.js";
import { LocalServices } from "../access/local.js";
import { allocatePorts } from "../providers/common/ports.js";
import type { ProviderContext } from "../providers/provider.js";
import type { ComponentResult } from "../results/model.js";
import type { LaunchContext, Launched, Launcher } from "./launcher.js";
import { LocalProcess } from "./process.js";

/** What the tier needs. */
export interface TierOptions {
  objects: KubeObject[];
  namespace: string;
  release: string;
  profile: string;
  /** Component id → stack.yaml's appVersion, for the enabled components. */
  pins: Record<string, string>;
  root: string;
  runner: Runner;
  /** PATH to find programs on after `.tools/bin`. */
  envPath: string;
  renderChart: LaunchContext["renderChart"];
  launchers: readonly Launcher[];
  /** Backing services launchers ask for by name (`postgresql`). */
  shared: readonly Launcher[];
  /** Endpoints ConfigMap data as rendered. */
  wiring: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** Keeps the scratch directory (configuration and logs) after stop. */
  keep?: boolean;
  /** The run's mirror: upstream sources (ServiceX's) come from its `git:` entries. */
  mirror?: Mirror | undefined;
  /** Lets a backing service create a local Kubernetes API (kwok) for ServiceX's transformers. */
  provider?: ProviderContext | undefined;
}

/** See the module comment. */
export class ServiceTier {
  readonly services: LocalServices;
  /** Every process started, in order. */
  readonly processes: LocalProcess[] = [];
  private readonly shared = new Map<string, Promise<Launched>>();
  /** What launchers started besides processes (a kwok cluster), stopped last-first at the end. */
  private readonly stoppers: (() => Promise<void>)[] = [];
  /** Service ports the backing services serve: they outlive an upgrade. */
  private readonly sharedPorts = new Set<string>();
  private base?: string;
  /** Set by `stop()`: nothing starts after it. */
  private stopped = false;
  /** 0 for the first launch, then one more per upgrade (each in its own directories). */
  private generation = 0;

  constructor(private o: TierOptions) {
    this.services = new LocalServices(o.namespace, o.wiring);
  }

  /** The scratch directory (configuration, data and logs of every process). */
  get dir(): string | undefined {
    return this.base;
  }

  private context(component: string, dir: string): LaunchContext {
    return {
      objects: this.o.objects,
      namespace: this.o.namespace,
      release: this.o.release,
      profile: this.o.profile,
      pinned: this.o.pins[component] ?? "",
      dir,
      root: this.o.root,
      runner: this.o.runner,
      tool: (binary) => locate(this.o.root, binary, this.o.envPath)?.path,
      services: this.services,
      signal: this.o.signal,
      timeoutMs: this.o.timeoutMs,
      ports: allocatePorts,
      renderChart: this.o.renderChart,
      start: (spec) => {
        if (this.o.signal.aborted) throw new Error("interrupted");
        // A launcher step still under way when the tier stopped (a sibling failed) starts nothing.
        if (this.stopped) throw new Error("the service tier has stopped");
        const p = new LocalProcess({
          ...spec,
          logFile: spec.logFile ?? path.join(dir, `${spec.name}.log`),
        });
        this.processes.push(p);
        return p;
      },
      after: (name) => this.startShared(name),
      mirror: this.o.mirror,
      provider: this.o.provider,
    };
  }

  private async startShared(name: string): Promise<Launched> {
    if (this.stopped) throw new Error("the service tier has stopped");
    let p = this.shared.get(name);
    if (!p) {
      const l = this.o.shared.find((s) => s.component === name);
      if (!l) throw new Error(`no backing service ${name} in the service tier`);
      const before = new Set(this.services.served());
      p = this.launchIn(l).then((launched) => {
        for (const k of this.services.served()) if (!before.has(k)) this.sharedPorts.add(k);
        return launched;
      });
      this.shared.set(name, p);
    }
    return p;
  }

  private async launchIn(l: Launcher): Promise<Launched> {
    const shared = this.o.shared.some((x) => x === l);
    const dir = path.join(
      this.base as string,
      shared || this.generation === 0 ? l.component : `${l.component}.${this.generation}`,
    );
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    const launched = await l.start(this.context(l.component, dir));
    if (launched.stop) this.stoppers.push(launched.stop);
    return launched;
  }

  /** Starts every launcher of an enabled component at once; one result per component. */
  async launch(enabled: readonly string[]): Promise<ComponentResult[]> {
    this.base = await mkdtemp(path.join(os.tmpdir(), "shoppe-service-"));
    await chmod(this.base, 0o755);
    return this.launchAll(enabled);
  }

  private launchAll(enabled: readonly string[]): Promise<ComponentResult[]> {
    return Promise.all(
      enabled.map(async (id): Promise<ComponentResult> => {
        const l = this.o.launchers.find((x) => x.component === id);
        if (!l) {
          return {
            id,
            status: "not-run",
            reason: "the service tier has no launcher for this component",
            workloads: [],
          };
        }
        const t0 = performance.now();
        try {
          const launched = await this.launchIn(l);
          return {
            id,
            status: "passed",
            durationMs: Math.round(performance.now() - t0),
            workloads: this.workloads(id),
            software: launched.software,
          };
        } catch (err) {
          return {
            id,
            status: this.o.signal.aborted ? "not-run" : "failed",
            reason: this.o.signal.aborted
              ? "interrupted"
              : `failed to start: ${err instanceof Error ? err.message : String(err)}`,
            durationMs: Math.round(performance.now() - t0),
            workloads: this.workloads(id),
          };
        }
      }),
    );
  }

  /** The component (or backing service) a process belongs to, from its directory. */
  private owner(p: LocalProcess): string {
    const first = path.relative(this.base as string, p.spec.cwd).split(path.sep)[0] ?? "";
    return first.replace(/\.\d+$/, "");
  }

  /** The processes a component started, as the results' workloads. */
  private workloads(id: string): ComponentResult["workloads"] {
    const mine = this.processes.filter((p) =>
      p.spec.cwd.startsWith(path.join(this.base as string, id)),
    );
    return mine.map((p) => ({
      kind: "Process",
      name: p.spec.name,
      ready: !p.exited,
      detail: p.exited ? "exited" : `running, pid ${p.child.pid}`,
    }));
  }

  /** Stops a component's processes (the checks' failure tests stop a server). */
  async stopComponent(id: string): Promise<void> {
    const mine = this.processes.filter((p) =>
      p.spec.cwd.startsWith(path.join(this.base as string, id)),
    );
    await Promise.all(mine.map((p) => p.stop()));
  }

  /**
   * An upgrade, locally: every component's processes stop and start again from `next` (the
   * new chart's rendering) in fresh directories, as pods are replaced: what lived in a pod's
   * emptyDir is gone; the backing services (the facility's database) keep running with their
   * data. Returns the components' new results.
   */
  async relaunch(
    next: { objects: KubeObject[]; wiring: Record<string, string> },
    enabled: readonly string[],
  ): Promise<ComponentResult[]> {
    const shared = new Set(this.o.shared.map((l) => l.component));
    const own = this.processes.filter((p) => !shared.has(this.owner(p)));
    await Promise.all(own.map((p) => p.stop()));
    this.processes.splice(
      0,
      this.processes.length,
      ...this.processes.filter((p) => !own.includes(p)),
    );
    this.services.retainOnly(this.sharedPorts);
    // The objects a backing service added (the facility's Secret) stay, as in the cluster.
    const added = this.o.objects.filter(
      (o) =>
        !next.objects.some((n) => n.kind === o.kind && n.metadata.name === o.metadata.name) &&
        o.kind === "Secret",
    );
    this.o.objects = [...next.objects, ...added];
    this.services.rewire(next.wiring);
    this.generation++;
    return this.launchAll(enabled);
  }

  /** Stops every process, last started first, then the rest (a cluster), and removes the scratch directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.processes].reverse().map((p) => p.stop()));
    // A backing service still starting (a kwok cluster a failed launcher asked for) registers
    // its stopper when it is done: wait for it (its start is bounded by the timeout).
    await Promise.allSettled(this.shared.values());
    // A stopper that fails (a cluster already gone) must not keep the others from running.
    for (const stop of this.stoppers.splice(0).reverse()) await stop().catch(() => undefined);
    if (this.base && !this.o.keep) await rm(this.base, { recursive: true, force: true });
  }
}
