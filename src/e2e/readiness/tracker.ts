/**
 * The readiness state of a release, per component: fed every object the watch sees, it says
 * which components are ready, which are still waiting (and on what), and which failed (a Job
 * that failed, or the component's timeout passed). Pure and synchronous: time is passed in,
 * so tests drive it with recorded objects.
 */
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import {
  type PodProblem,
  podOwner,
  podProblem,
  ranContainers,
  type WorkloadKind,
  workloadState,
} from "./workloads.js";

/** A workload the release installed, attributed to its component. */
export interface ExpectedWorkload {
  component: string;
  kind: WorkloadKind;
  name: string;
}

/** One component as the tracker sees it now. */
export interface ComponentView {
  id: string;
  state: "waiting" | "ready" | "failed";
  /** What it waits on, or why it failed. */
  detail: string;
  workloads: { kind: string; name: string; ready: boolean; detail: string }[];
  /** ms since the epoch. */
  readyAt?: number;
  firstProblemAt?: number;
}

const key = (kind: string, name: string) => `${kind}/${name}`;

/** See the module comment. */
export class ReadinessTracker {
  private readonly objects = new Map<string, unknown>();
  private readonly warnings = new Map<string, CoreV1Event[]>();
  private readonly readyAt = new Map<string, number>();
  private readonly firstProblem = new Map<string, number>();
  private readonly failed = new Map<string, string>();
  /** True once any pod showed a container a real runtime started. */
  sawContainers = false;

  constructor(
    private readonly expected: ExpectedWorkload[],
    private readonly components: string[],
    /** When the clock of every component's timeout started (ms). */
    private readonly startedAt: number,
    private readonly timeoutMs: number,
    /**
     * "Kind/name" → the generation helm's change produced: an older copy of the object (the
     * watch has not delivered the change yet) is not judged, so an upgrade is never "ready"
     * on the strength of the release it replaced.
     */
    private readonly minGeneration: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** Records the latest version of an object. */
  upsert(kind: WorkloadKind, obj: { metadata?: { name?: string } }): void {
    this.objects.set(key(kind, obj.metadata?.name ?? ""), obj);
    if (kind === "Pod" && ranContainers(obj as V1Pod)) this.sawContainers = true;
  }

  /** Forgets a deleted object. */
  remove(kind: WorkloadKind, name: string): void {
    this.objects.delete(key(kind, name));
  }

  /** Records a Warning event about a pod (probe failures, pull errors). */
  warning(e: CoreV1Event): void {
    if (e.involvedObject?.kind !== "Pod" || !e.involvedObject.name) return;
    const list = this.warnings.get(e.involvedObject.name) ?? [];
    list.push(e);
    this.warnings.set(e.involvedObject.name, list);
  }

  private pods(kind: WorkloadKind, name: string): V1Pod[] {
    const out: V1Pod[] = [];
    for (const [k, o] of this.objects) {
      if (!k.startsWith("Pod/")) continue;
      const owner = podOwner(o as V1Pod);
      if (owner.kind === kind && owner.name === name) out.push(o as V1Pod);
    }
    return out;
  }

  private problemOf(kind: WorkloadKind, name: string): PodProblem | undefined {
    for (const p of this.pods(kind, name)) {
      const found = podProblem(p, this.warnings.get(p.metadata?.name ?? "") ?? []);
      if (found) return { ...found, reason: `pod ${p.metadata?.name}: ${found.reason}` };
    }
    return undefined;
  }

  private view(id: string, now: number): ComponentView {
    const mine = this.expected.filter((w) => w.component === id);
    const workloads = mine.map((w) => {
      const obj = this.objects.get(key(w.kind, w.name)) as
        | { metadata?: { generation?: number } }
        | undefined;
      const min = this.minGeneration.get(key(w.kind, w.name)) ?? 0;
      const st = !obj
        ? { ready: false, detail: "not created yet" }
        : (obj.metadata?.generation ?? 0) < min
          ? { ready: false, detail: "change not seen yet" }
          : workloadState(w.kind, obj);
      return { kind: w.kind, name: w.name, ...st };
    });
    const notReady = workloads.filter((w) => !w.ready);
    const problem = notReady
      .map((w) => this.problemOf(w.kind, w.name))
      .find((p): p is PodProblem => p !== undefined);
    const hard = workloads.find((w) => "failed" in w && w.failed)?.failed;
    if ((problem || hard) && !this.firstProblem.has(id)) {
      this.firstProblem.set(id, problem?.since ? Date.parse(problem.since) : now);
    }
    if (notReady.length === 0) {
      if (!this.readyAt.has(id)) this.readyAt.set(id, now);
    } else {
      this.readyAt.delete(id);
    }
    const waitingOn = notReady.map((w) => `${w.kind} ${w.name}: ${w.detail}`).join("; ");
    const why = [waitingOn, hard ?? problem?.reason].filter(Boolean).join("; ");
    if (!this.failed.has(id) && notReady.length > 0) {
      if (hard) this.failed.set(id, hard);
      else if (now >= this.startedAt + this.timeoutMs) {
        this.failed.set(id, `not ready after ${Math.round(this.timeoutMs / 1000)}s: ${why}`);
      }
    }
    const failed = this.failed.get(id);
    const readyAt = this.readyAt.get(id);
    const firstProblemAt = this.firstProblem.get(id);
    const plain = workloads.map(({ kind, name, ready, detail }) => ({ kind, name, ready, detail }));
    const base = {
      id,
      workloads: plain,
      ...(readyAt !== undefined ? { readyAt } : {}),
      ...(firstProblemAt !== undefined ? { firstProblemAt } : {}),
    };
    if (failed) return { ...base, state: "failed", detail: failed };
    if (notReady.length === 0) {
      return {
        ...base,
        state: "ready",
        detail: mine.length ? `${mine.length} workload(s) ready` : "no workloads",
      };
    }
    return { ...base, state: "waiting", detail: why };
  }

  /** Every component now (`now` in ms). */
  evaluate(now: number): ComponentView[] {
    const ids = [...new Set([...this.components, ...this.expected.map((w) => w.component)])];
    return ids.map((id) => this.view(id, now));
  }

  /** True when no component is still waiting. */
  static settled(views: ComponentView[]): boolean {
    return views.every((v) => v.state !== "waiting");
  }
}
