/**
 * Checks one component against its chart's source: the versions listed, what they offer over
 * the pin under the component's policy (policy.ts), and whether the pin itself is still listed.
 * A source that fails is that component's error; the others are unaffected.
 */
import { InputError } from "../errors.js";
import type { ChartSource } from "../helm/repositories.js";
import { FetchError } from "../net/fetch-error.js";
import type { ChartFeed, Feeds } from "./feeds.js";
import { type Offer, offer, type UpdatePolicy } from "./policy.js";

/** How a component stands against upstream. */
export type UpdateStatus = "up-to-date" | "outdated" | "first-party" | "no-chart" | "error";

/** One component's line of `shoppe outdated`. */
export interface ComponentUpdates {
  component: string;
  chart?: string;
  current?: string;
  source: ChartSource["kind"] | "none";
  /** Where the versions came from (index URL, mirror file, OCI repository). */
  origin?: string;
  /** fetched, not-modified (304), offline-cached, mirror. */
  outcome?: ChartFeed["outcome"];
  transferred: number;
  policy: UpdatePolicy;
  status: UpdateStatus;
  patch?: string;
  minor?: string;
  major?: string;
  /** What the policy takes (`shoppe bump` without --to or --level). */
  wanted?: string;
  /** The source no longer lists the pinned version. */
  pinMissing?: boolean;
  /** Listed versions that are not SemVer, left out. */
  skipped: number;
  /** Why the source could not be read. */
  error?: string;
}

/** Checks `source` (a component's chart) under `policy`. */
export async function checkComponent(
  feeds: Feeds,
  component: string,
  source: ChartSource | undefined,
  policy: UpdatePolicy,
): Promise<ComponentUpdates> {
  const base = { component, policy, transferred: 0, skipped: 0 };
  if (!source) return { ...base, source: "none", status: "no-chart" };
  const pinned = { ...base, chart: source.chart, current: source.version, source: source.kind };
  if (source.kind === "local") return { ...pinned, origin: source.location, status: "first-party" };
  let feed: ChartFeed;
  let versions: string[];
  try {
    feed = await feeds.feed(source);
    versions = feed.versions(source.chart);
  } catch (err) {
    // A repository that is down, or a mirror without the file, is this component's answer.
    if (!(err instanceof FetchError) && !(err instanceof InputError)) throw err;
    return { ...pinned, origin: source.location, status: "error", error: (err as Error).message };
  }
  const o: Offer = offer(source.version, versions, policy);
  const levels = {
    ...(o.patch ? { patch: o.patch } : {}),
    ...(o.minor ? { minor: o.minor } : {}),
    ...(o.major ? { major: o.major } : {}),
    ...(o.wanted ? { wanted: o.wanted } : {}),
  };
  return {
    ...pinned,
    origin: feed.origin,
    outcome: feed.outcome,
    transferred: feed.transferred,
    status: o.wanted ? "outdated" : "up-to-date",
    ...levels,
    ...(versions.includes(source.version) ? {} : { pinMissing: true }),
    skipped: o.skipped.length,
  };
}
