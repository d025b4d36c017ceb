/**
 * One readiness phase: every component of the release watched at once until each is ready or
 * has failed (its own timeout, or a Job that failed). Changes arrive from the namespace watch;
 * a one-second local tick only re-evaluates timeouts, it sends no request.
 */
import {
  type ComponentView,
  type ExpectedWorkload,
  ReadinessTracker,
} from "../readiness/tracker.js";
import type { ComponentResult } from "../results/model.js";
import type { NamespaceObserver } from "./observe.js";

/** What a phase needs. */
export interface ReadinessOptions {
  observer: NamespaceObserver;
  expected: ExpectedWorkload[];
  /** Enabled component ids (each reported, workloads or not). */
  components: string[];
  timeoutMs: number;
  /** Generations helm's install or upgrade produced (see ReadinessTracker). */
  minGeneration: ReadonlyMap<string, number>;
  signal: AbortSignal;
  /** Every change of a component's state or detail. */
  onViews: (views: ComponentView[]) => void;
  now?: () => number;
}

/** The outcome of a phase. */
export interface ReadinessOutcome {
  views: ComponentView[];
  startedAt: number;
  sawContainers: boolean;
  /** The signal aborted before every component settled. */
  interrupted: boolean;
}

/** Watches until every component is settled, or `signal` aborts (then `interrupted`). */
export function awaitReadiness(o: ReadinessOptions): Promise<ReadinessOutcome> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const tracker = new ReadinessTracker(
    o.expected,
    o.components,
    startedAt,
    o.timeoutMs,
    o.minGeneration,
  );
  const components = new Map(o.expected.map((w) => [`${w.kind}/${w.name}`, w.component]));
  return new Promise((resolve) => {
    let last = "";
    const finish = (views: ComponentView[], interrupted: boolean) => {
      clearInterval(tick);
      o.signal.removeEventListener("abort", onAbort);
      o.observer.onChange = () => {};
      resolve({ views, startedAt, sawContainers: tracker.sawContainers, interrupted });
    };
    const evaluate = () => {
      const views = tracker.evaluate(now());
      const text = JSON.stringify(views.map((v) => [v.id, v.state, v.detail]));
      if (text !== last) {
        last = text;
        o.onViews(views);
      }
      if (ReadinessTracker.settled(views)) finish(views, false);
    };
    const onAbort = () => finish(tracker.evaluate(now()), true);
    const tick = setInterval(evaluate, 1_000);
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener("abort", onAbort, { once: true });
    o.observer.onChange = evaluate;
    o.observer.follow(tracker, components);
    evaluate();
  });
}

/** A component's view as a results entry, timed from the phase's start. */
export function componentResult(v: ComponentView, startedAt: number): ComponentResult {
  const end = v.readyAt ?? (v.state === "failed" ? Date.now() : undefined);
  return {
    id: v.id,
    status: v.state === "ready" ? "passed" : v.state === "failed" ? "failed" : "not-run",
    ...(v.state !== "ready"
      ? { reason: v.state === "waiting" ? `interrupted while waiting: ${v.detail}` : v.detail }
      : {}),
    ...(end !== undefined ? { durationMs: Math.max(0, end - startedAt) } : {}),
    ...(v.firstProblemAt !== undefined
      ? { firstProblemAt: new Date(v.firstProblemAt).toISOString() }
      : {}),
    workloads: v.workloads,
  };
}
