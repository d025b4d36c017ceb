/**
 * Pieces of a run's results that every tier builds the same way (the cluster runs of
 * src/e2e/run and the service tier): the time stamp that starts run ids and directory names,
 * and the components the profile disables, reported as skipped (never as passed).
 */
import type { ComponentResult } from "./model.js";

/** `20261201T192337Z`: sorts as time does, and is safe in a directory name. */
export function runStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** Components disabled under `profile`, each skipped with the reason. */
export function disabledComponents(
  enabled: Record<string, boolean>,
  profile: string,
): ComponentResult[] {
  return Object.entries(enabled)
    .filter(([, on]) => !on)
    .map(([id]) => ({
      id,
      status: "skipped",
      reason: `disabled in profile ${profile}`,
      workloads: [],
    }));
}
