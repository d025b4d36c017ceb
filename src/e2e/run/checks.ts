/**
 * Runs checks honestly: a check whose needs the provider cannot meet is recorded `skipped`
 * with the reason (`pods are simulated` for a live service on kwok) and never called; a check
 * of a component that is not ready is `not-run`; a check that throws or outlives its timeout
 * has `failed`. Every outcome is timed.
 */
import type { Check, CheckNeed, CheckOutcome, CheckTarget, UpgradeCheck } from "../checks/check.js";
import type { CheckResult } from "../results/model.js";

/** What the run can offer checks. */
export interface CheckEnvironment {
  runsContainers: boolean;
  /** Components that are not ready: their checks are not run. */
  notReady: ReadonlySet<string>;
  timeoutMs: number;
  /**
   * Whether a Kubernetes API answers (default true); the service tier has none, so its `api`
   * checks are skipped with the reason, never called.
   */
  hasApi?: boolean | undefined;
  /** Whether live services can be reached (default: when containers run). */
  reachesServices?: boolean | undefined;
}

/** The reason a check cannot run here, or undefined when it can. */
export function cannotRun(
  c: { component: string; needs: readonly CheckNeed[] },
  env: CheckEnvironment,
): { status: "skipped" | "not-run"; reason: string } | undefined {
  if (env.notReady.has(c.component)) {
    return { status: "not-run", reason: `component ${c.component} is not ready` };
  }
  if (c.needs.includes("live-service") && !env.runsContainers) {
    return { status: "skipped", reason: "pods are simulated" };
  }
  if (c.needs.includes("live-service") && env.reachesServices === false) {
    return { status: "skipped", reason: "no live service can be reached from here" };
  }
  if (c.needs.includes("api") && env.hasApi === false) {
    return { status: "skipped", reason: "no Kubernetes API: the service tier runs no cluster" };
  }
  return undefined;
}

/** Runs `work` with the check's own abort signal; a timeout or a throw is a failure. */
async function bounded(
  target: CheckTarget,
  timeoutMs: number,
  work: (t: CheckTarget) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const signal = AbortSignal.any([target.signal, AbortSignal.timeout(timeoutMs)]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({ status: "failed", reason: `timed out after ${timeoutMs / 1000}s`, evidence: [] }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work({ ...target, signal }), timeout]);
  } catch (err) {
    return {
      status: "failed",
      reason: err instanceof Error ? err.message : String(err),
      evidence: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

function result(
  c: { name: string; component: string; needs: readonly CheckNeed[] },
  phase: CheckResult["phase"],
  outcome: { status: CheckResult["status"]; reason?: string | undefined; evidence?: string[] },
  ms: number,
): CheckResult {
  return {
    name: c.name,
    component: c.component,
    phase,
    needs: [...c.needs],
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    durationMs: Math.round(ms),
    evidence: outcome.evidence ?? [],
  };
}

/** Runs the smoke checks, one after another. */
export async function runChecks(
  checks: readonly Check[],
  target: CheckTarget,
  env: CheckEnvironment,
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) {
    const no = cannotRun(c, env);
    if (no || target.signal.aborted) {
      out.push(result(c, "smoke", no ?? { status: "not-run", reason: "interrupted" }, 0));
      continue;
    }
    const t0 = performance.now();
    out.push(
      result(
        c,
        "smoke",
        await bounded(target, env.timeoutMs, (t) => c.run(t)),
        performance.now() - t0,
      ),
    );
  }
  return out;
}

/** The upgrade checks that could run, with what each recorded before the upgrade. */
export interface UpgradeMemos {
  ran: { check: UpgradeCheck; memo: unknown; ms: number }[];
  results: CheckResult[];
}

/** Each upgrade check's `before`, on the release as installed from the old chart. */
export async function beforeUpgrade(
  checks: readonly UpgradeCheck[],
  target: CheckTarget,
  env: CheckEnvironment,
): Promise<UpgradeMemos> {
  const memos: UpgradeMemos = { ran: [], results: [] };
  for (const c of checks) {
    const no = cannotRun(c, env);
    if (no) {
      memos.results.push(result(c, "upgrade", no, 0));
      continue;
    }
    const t0 = performance.now();
    try {
      const memo = await c.before({
        ...target,
        signal: AbortSignal.any([target.signal, AbortSignal.timeout(env.timeoutMs)]),
      });
      memos.ran.push({ check: c, memo, ms: performance.now() - t0 });
    } catch (err) {
      const reason = `before the upgrade: ${err instanceof Error ? err.message : String(err)}`;
      memos.results.push(
        result(c, "upgrade", { status: "failed", reason }, performance.now() - t0),
      );
    }
  }
  return memos;
}

/** Each upgrade check's `after`, on the upgraded release. */
export async function afterUpgrade(
  memos: UpgradeMemos,
  target: CheckTarget,
  env: CheckEnvironment,
): Promise<CheckResult[]> {
  const out = [...memos.results];
  for (const { check, memo, ms } of memos.ran) {
    const no = cannotRun(check, env);
    if (no) {
      out.push(result(check, "upgrade", no, ms));
      continue;
    }
    const t0 = performance.now();
    const outcome = await bounded(target, env.timeoutMs, (t) => check.after(t, memo));
    out.push(result(check, "upgrade", outcome, ms + performance.now() - t0));
  }
  return out;
}
