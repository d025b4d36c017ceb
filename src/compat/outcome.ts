/**
 * What one e2e run proves about a component, or about the whole stack, and how several runs
 * of the same Kubernetes version combine. The rules never claim more than what ran:
 * - the stack earns a tier only from a run whose status is `passed` (docs/e2e.md); a
 *   component from its own readiness and checks, so one broken component does not take the
 *   others' results away (the stack's verdict carries the failure);
 * - a skipped or not-run check is not a pass: the component is `partial`;
 * - a stand-in (a substitute chart archive, or software that stood in for the real service)
 *   is named, and makes the component `partial`;
 * - at the `service` tier a component whose checks never reached its service is `partial`;
 * - per tier the latest run decides (a rerun replaces a flaky failure), and a failure at any
 *   tier fails the whole cell: a lower tier's pass does not hide it.
 */
import path from "node:path";
import type { E2eResults, Tier } from "../e2e/results/model.js";
import type { RunFile } from "./runs.js";

/** The state a badge or a matrix cell shows. */
export type State = "passing" | "partial" | "failing" | "untested";

/** Tiers, lowest first (docs/e2e.md). */
export const TIERS: readonly Tier[] = ["static", "control-plane", "service", "cluster"];

/** A run's tier, or that it never installed the chart. */
export type TierKey = Tier | "not-installed";

/** The pseudo-component of the checks that test the wiring between components. */
export const INTEGRATION = "integration";

/** The run an outcome comes from. */
export interface RunRef {
  file: string;
  path: string;
  runId: string;
  provider: string;
  status: E2eResults["status"];
  tier: TierKey;
  kubernetes: string;
  finishedAt: string;
  /** The diagnostics bundle's absolute path, when the run wrote one. */
  bundle?: string;
}

/** What one run proves about one component (or the stack). */
export interface Outcome {
  state: State;
  tier: TierKey;
  /** Why it is not `passing`, in words. */
  reasons: string[];
  /** Stand-ins that answered instead of the real thing, each with why. */
  standIns: string[];
  run: RunRef;
}

/** Several runs of one cell (a component, or the stack, on one Kubernetes version) combined. */
export interface Verdict {
  state: State;
  /** The tier the state is stated at; absent when untested. */
  tier?: TierKey;
  reasons: string[];
  standIns: string[];
  /** The latest run of each tier, highest tier first. */
  byTier: Outcome[];
}

const TIER_RANK: Record<TierKey, number> = {
  "not-installed": 0,
  static: 1,
  "control-plane": 2,
  service: 3,
  cluster: 4,
};

/** Orders tiers: negative when `a` is lower than `b`. */
export function compareTiers(a: TierKey, b: TierKey): number {
  return TIER_RANK[a] - TIER_RANK[b];
}

/** A file name with no directory part, not `.` or `..` (a bundle as a run names it). */
export function isPlainName(name: string): boolean {
  return /^\w[\w.-]*$/.test(name);
}

/** The reference to a run that outcomes carry. */
export function runRef(run: RunFile): RunRef {
  const r = run.results;
  return {
    file: run.file,
    path: run.path,
    runId: r.runId,
    provider: r.provider.name,
    status: r.status,
    tier: r.tier ?? "not-installed",
    kubernetes: r.kubernetes.version,
    finishedAt: r.finishedAt,
    // Only a file beside results.json, as the run writes it: never a path that leaves it.
    ...(r.bundle && isPlainName(r.bundle)
      ? { bundle: path.join(path.dirname(run.path), r.bundle) }
      : {}),
  };
}

/**
 * The stand-ins a run records for a component: substitute chart archives, software that
 * answered in place of the real service (the service tier), and real software of another
 * version than the pin.
 */
export function standInsOf(r: E2eResults, id: string): string[] {
  const charts = r.chart.dependencies
    .filter((d) => d.component === id && d.substitute)
    .map((d) => `${id}: chart ${d.chart} ${d.version} was a substitute (${d.substitute})`);
  const software = (r.components.find((c) => c.id === id)?.software ?? []).flatMap((s) => {
    if (s.standIn) return [`${id}: ${s.name} stood in for the real service (${s.standIn})`];
    if (!s.match)
      return [
        `${id}: ${s.name} ${s.answered ?? "(no version)"} answered, not the pinned ${s.pinned}`,
      ];
    return [];
  });
  return [...charts, ...software];
}

function checksOf(r: E2eResults, id: string) {
  return [...r.checks, ...(r.upgrade?.checks ?? [])].filter((c) => c.component === id);
}

/** What `run` proves about component `id` (or the integration checks). */
export function componentOutcome(run: RunFile, id: string): Outcome {
  const r = run.results;
  const tier: TierKey = r.tier ?? "not-installed";
  const base = { tier, run: runRef(run), standIns: standInsOf(r, id) };
  const is = (state: State, reasons: string[]): Outcome => ({ ...base, state, reasons });
  if (id !== INTEGRATION) {
    const c = r.components.find((x) => x.id === id);
    if (!c) return is("untested", [`${id} is not in this run`]);
    if (c.status === "failed") return is("failing", [`${id}: ${c.reason ?? "not ready"}`]);
    if (c.status !== "passed") return is("untested", [`${id}: ${c.reason ?? c.status}`]);
  }
  const checks = checksOf(r, id);
  const failed = checks.filter((c) => c.status === "failed");
  if (failed.length > 0) {
    return is(
      "failing",
      failed.map((c) => `check ${c.name} failed${c.reason ? `: ${c.reason}` : ""}`),
    );
  }
  if (!r.tier)
    return is("untested", [`the chart was not installed${r.reason ? `: ${r.reason}` : ""}`]);
  const passed = checks.filter((c) => c.status === "passed");
  if (id === INTEGRATION && passed.length === 0)
    return is("untested", ["no integration check ran"]);
  const reasons = checks
    .filter((c) => c.status === "skipped" || c.status === "not-run")
    .map((c) => `check ${c.name} ${c.status}${c.reason ? `: ${c.reason}` : ""}`);
  reasons.push(...base.standIns);
  if (
    r.tier === "service" &&
    id !== INTEGRATION &&
    !passed.some((c) => c.needs.includes("live-service"))
  ) {
    reasons.push(`no check of ${id} reached its service`);
  }
  return is(reasons.length > 0 ? "partial" : "passing", reasons);
}

/** What `run` proves about the whole stack: every component in `ids` and the integration checks. */
export function stackOutcome(run: RunFile, ids: readonly string[]): Outcome {
  const r = run.results;
  const parts = [...ids, INTEGRATION].map((id) => componentOutcome(run, id));
  const standIns = parts.flatMap((p) => p.standIns);
  const tier: TierKey = r.tier ?? "not-installed";
  const base = { tier, run: runRef(run), standIns };
  const failing = parts.filter((p) => p.state === "failing");
  if (r.status === "failed" || failing.length > 0) {
    const why = failing.flatMap((p) => p.reasons);
    return {
      ...base,
      state: "failing",
      reasons: why.length ? why : [r.reason ?? "the run failed"],
    };
  }
  if (r.status !== "passed" || !r.tier) {
    return {
      ...base,
      state: "untested",
      reasons: [`the run ${r.status}${r.reason ? `: ${r.reason}` : ""}`],
    };
  }
  const reasons = parts.filter((p) => p.state !== "passing").flatMap((p) => p.reasons);
  return { ...base, state: reasons.length > 0 ? "partial" : "passing", reasons };
}

/** The later run; by time, not text (`…:05.5Z` sorts before `…:05Z` as text), then by file. */
function latest(a: Outcome, b: Outcome): Outcome {
  const [ta, tb] = [Date.parse(a.run.finishedAt), Date.parse(b.run.finishedAt)];
  if (ta !== tb) return ta > tb ? a : b;
  return a.run.file >= b.run.file ? a : b;
}

/** Combines the outcomes of one cell's runs (see the rules at the top). */
export function combine(outcomes: readonly Outcome[]): Verdict {
  const perTier = new Map<TierKey, Outcome>();
  for (const o of outcomes) {
    const seen = perTier.get(o.tier);
    perTier.set(o.tier, seen ? latest(seen, o) : o);
  }
  const byTier = [...perTier.values()].sort((a, b) => compareTiers(b.tier, a.tier));
  const pick =
    byTier.find((o) => o.state === "failing") ??
    byTier.find((o) => o.state === "passing") ??
    byTier.find((o) => o.state === "partial");
  if (!pick) {
    return { state: "untested", reasons: byTier.flatMap((o) => o.reasons), standIns: [], byTier };
  }
  return {
    state: pick.state,
    tier: pick.tier,
    reasons: pick.reasons,
    standIns: pick.standIns,
    byTier,
  };
}
