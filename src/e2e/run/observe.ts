/**
 * What the run sees of its namespace while it works: the watch's objects (kept, so a later
 * readiness phase starts from what is already there), Warning events (recorded, attributed to
 * a component and reported as they happen) and the readiness tracker of the current phase.
 */
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import type { ReadinessTracker } from "../readiness/tracker.js";
import type { WatchHandler } from "../readiness/watch.js";
import { podOwner, type WorkloadKind } from "../readiness/workloads.js";
import type { WarningRecord } from "../results/model.js";

/** At most this many Warning events go into a results file. */
const MAX_WARNINGS = 500;

/** See the module comment. */
export class NamespaceObserver {
  readonly warnings: WarningRecord[] = [];
  private readonly latest = new Map<string, { kind: WorkloadKind; obj: unknown }>();
  /** Warning events as received, replayed to each new phase's tracker. */
  private readonly events: CoreV1Event[] = [];
  private tracker: ReadinessTracker | undefined;
  /** Workload → component, for attributing events about pods. */
  private components = new Map<string, string>();
  /** Called after every change (the readiness phase re-evaluates). */
  onChange: () => void = () => {};

  constructor(private readonly onWarning: (w: WarningRecord) => void) {}

  /** The handler to give the namespace watch. */
  readonly handle: WatchHandler = (kind, type, obj) => {
    if (kind === "Event") {
      this.event(obj as CoreV1Event);
    } else {
      const k = `${kind}/${obj.metadata?.name ?? ""}`;
      if (type === "DELETED") {
        this.latest.delete(k);
        this.tracker?.remove(kind, obj.metadata?.name ?? "");
      } else {
        this.latest.set(k, { kind, obj });
        this.tracker?.upsert(kind, obj);
      }
    }
    this.onChange();
  };

  /** Makes `tracker` the current phase's, seeded with every object seen so far. */
  follow(tracker: ReadinessTracker, components: Map<string, string>): void {
    this.tracker = tracker;
    this.components = components;
    for (const { kind, obj } of this.latest.values())
      tracker.upsert(kind, obj as { metadata?: { name?: string } });
    for (const e of this.events) tracker.warning(e);
  }

  /** The Warning events, each attributed to its component where that is known by now. */
  attributedWarnings(): WarningRecord[] {
    return this.warnings.map((w) => {
      if (w.component) return w;
      const [kind = "", name = ""] = w.object.split("/");
      const component = this.componentOf(kind, name);
      return component ? { ...w, component } : w;
    });
  }

  /** The component a pod or workload belongs to, if known. */
  componentOf(kind: string, name: string): string | undefined {
    if (kind === "Pod") {
      const pod = this.latest.get(`Pod/${name}`)?.obj as V1Pod | undefined;
      if (pod) {
        const owner = podOwner(pod);
        return this.components.get(`${owner.kind}/${owner.name}`);
      }
    }
    return this.components.get(`${kind}/${name}`);
  }

  private event(e: CoreV1Event): void {
    if (e.type !== "Warning") return;
    if (this.events.length < MAX_WARNINGS) this.events.push(e);
    this.tracker?.warning(e);
    const kind = e.involvedObject?.kind ?? "";
    const name = e.involvedObject?.name ?? "";
    const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? new Date();
    const component = this.componentOf(kind, name);
    const w: WarningRecord = {
      at: new Date(at as unknown as string).toISOString(),
      object: `${kind}/${name}`,
      ...(component ? { component } : {}),
      reason: e.reason ?? "",
      message: e.message ?? "",
      count: e.count ?? 1,
    };
    const same = this.warnings.findIndex(
      (x) => x.object === w.object && x.reason === w.reason && x.message === w.message,
    );
    // An event seen again (its count went up) updates the record; only a new one is reported.
    if (same >= 0) this.warnings[same] = w;
    else {
      if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
      this.onWarning(w);
    }
  }
}
