/**
 * claims-kept (API level, every provider; around an upgrade): every PersistentVolumeClaim of
 * the release before the upgrade is, after it, the same claim (same UID) bound to the same
 * volume. A chart change that renames a StatefulSet or its claim template would give the
 * upgraded release new, empty volumes; this catches it without reading any data.
 */
import { CoreV1Api } from "@kubernetes/client-node";
import type { CheckOutcome, CheckTarget, UpgradeCheck } from "./check.js";
import { INTEGRATION, kubeOf } from "./check.js";

/** A claim as it was before the upgrade. */
interface Claim {
  uid: string;
  volume: string;
  phase: string;
}

async function claims(t: CheckTarget): Promise<Record<string, Claim>> {
  const list = await kubeOf(t)
    .makeApiClient(CoreV1Api)
    .listNamespacedPersistentVolumeClaim({ namespace: t.namespace });
  return Object.fromEntries(
    list.items.map((c) => [
      c.metadata?.name ?? "",
      {
        uid: c.metadata?.uid ?? "",
        volume: c.spec?.volumeName ?? "",
        phase: c.status?.phase ?? "",
      },
    ]),
  );
}

async function after(t: CheckTarget, before: Record<string, Claim>): Promise<CheckOutcome> {
  const names = Object.keys(before).sort();
  if (names.length === 0) {
    return {
      status: "skipped",
      reason: "the release has no persistent volume claims",
      evidence: [],
    };
  }
  const now = await claims(t);
  const evidence: string[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const was = before[name] as Claim;
    const is = now[name];
    let problem: string | undefined;
    if (!is) problem = "is gone";
    else if (is.uid !== was.uid) problem = "was deleted and created again (a new, empty volume)";
    else if (is.volume !== was.volume)
      problem = `is bound to ${is.volume || "nothing"}, was ${was.volume}`;
    else if (is.phase !== "Bound") problem = `is ${is.phase || "not bound"}`;
    if (problem) problems.push(`claim ${name} ${problem}`);
    evidence.push(`claim ${name}: ${problem ?? `same claim, still bound to ${was.volume}`}`);
  }
  if (problems.length > 0) return { status: "failed", reason: problems.join("; "), evidence };
  return { status: "passed", evidence };
}

/** See the module comment. */
export const claimsKept: UpgradeCheck<Record<string, Claim>> = {
  name: "claims-kept",
  component: INTEGRATION,
  description: "every persistent volume claim survives the upgrade, bound to the same volume",
  needs: ["api"],
  before: claims,
  after,
};
