/**
 * The words and colours of a compatibility badge (docs/badges.md). One shape for the stack
 * and for each component: the label names what is tested, the message the Kubernetes minors
 * of stack.yaml, the state, and the tier the state is stated at, e.g.
 * `coffea-shoppe 0.1.0` | `k8s 1.34–1.37 | passing (cluster)`. A state other than passing
 * says why in a few words: `stand-in`, `incomplete on 1.35`, `untested on 1.36, 1.37`,
 * `on 1.35 at control-plane` (where it failed, at which tier; `on 1.35, not installed` when the
 * chart never went in).
 */
import { compareTiers, type State, type TierKey, type Verdict } from "./outcome.js";

/** shields.io named colours per state (the endpoint JSON and the SVG use the same). */
export const STATE_COLORS: Record<State, string> = {
  passing: "brightgreen",
  partial: "yellow",
  failing: "red",
  untested: "lightgrey",
};

/** A Kubernetes version's minor: `1.35.4` → `1.35`. */
export function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** The minors of `versions` as a range when consecutive (`1.34–1.37`), else a list. */
export function k8sRange(versions: readonly string[]): string {
  const minors = [...new Set(versions.map(minorOf))].sort(
    (a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]),
  );
  const nums = minors.map((m) => Number(m.split(".")[1]));
  const consecutive = nums.every((n, i) => i === 0 || n === (nums[i - 1] ?? 0) + 1);
  if (minors.length > 1 && consecutive) return `${minors[0]}–${minors.at(-1)}`;
  return minors.join(", ");
}

/** The verdict over every Kubernetes version of a release. */
export interface Overall {
  state: State;
  /**
   * The tier the state is stated at: the lowest tier every version (passing), or every
   * version that reached anything (partial), earned; a failure names its tier per version.
   */
  tier?: TierKey;
  /** Short reasons shown in the badge when not passing. */
  notes: string[];
}

/** Combines per-version verdicts: every version must pass for the badge to pass. */
export function overall(perVersion: readonly { version: string; verdict: Verdict }[]): Overall {
  const where = (s: State) => perVersion.filter((v) => v.verdict.state === s);
  const minors = (list: typeof perVersion) => list.map((v) => minorOf(v.version)).join(", ");
  const tiers = (list: typeof perVersion) =>
    list.flatMap((v) => (v.verdict.tier ? [v.verdict.tier] : [])).sort(compareTiers);
  const failing = where("failing");
  if (failing.length > 0) {
    const notes = failing.map(({ version, verdict: { tier } }) => {
      const where = tier === "not-installed" ? ", not installed" : tier ? ` at ${tier}` : "";
      return `on ${minorOf(version)}${where}`;
    });
    return { state: "failing", notes };
  }
  const passing = where("passing");
  if (passing.length === perVersion.length && passing.length > 0) {
    const tier = tiers(passing)[0];
    return { state: "passing", ...(tier ? { tier } : {}), notes: [] };
  }
  const partial = where("partial");
  if (passing.length === 0 && partial.length === 0) return { state: "untested", notes: [] };
  const notes: string[] = [];
  const reached = [...passing, ...partial];
  if (reached.some((v) => v.verdict.standIns.length > 0)) notes.push("stand-in");
  const incomplete = partial.filter((v) => v.verdict.reasons.length > v.verdict.standIns.length);
  if (incomplete.length > 0) notes.push(`incomplete on ${minors(incomplete)}`);
  const untested = where("untested");
  if (untested.length > 0) notes.push(`untested on ${minors(untested)}`);
  const tier = tiers(reached)[0];
  return { state: "partial", ...(tier ? { tier } : {}), notes };
}

/** The verdict in a few words: `<state> (<tier>; <notes>)`. */
export function verdictPhrase(o: Overall): string {
  const detail = [...(o.tier && o.state !== "untested" ? [o.tier] : []), ...o.notes];
  return `${o.state}${detail.length ? ` (${detail.join("; ")})` : ""}`;
}

/** The badge's message: `k8s <minors> | <verdict>`. */
export function badgeMessage(versions: readonly string[], o: Overall): string {
  return `k8s ${k8sRange(versions)} | ${verdictPhrase(o)}`;
}

/** A shields.io endpoint response: exactly the keys shields.io's endpoint schema defines. */
export interface EndpointJson {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

/** The endpoint JSON of a badge. */
export function endpointJson(label: string, message: string, state: State): EndpointJson {
  return { schemaVersion: 1, label, message, color: STATE_COLORS[state] };
}
