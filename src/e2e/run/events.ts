/**
 * What a run reports while it works, for the CLI to show: per-component progress (a board on
 * a terminal, plain lines in CI) and Warning events as they happen. The library never prints.
 */
import type { ComponentView } from "../readiness/tracker.js";
import type { WarningRecord } from "../results/model.js";

/** A readiness phase: the release as installed, or before and after an upgrade. */
export type ReadinessPhase = "install" | "before-upgrade" | "after-upgrade";

/** One report. */
export type RunEvent =
  | { type: "components"; phase: ReadinessPhase; views: ComponentView[] }
  | { type: "warning"; warning: WarningRecord };

/** Receives reports; the default drops them. */
export type RunReporter = (e: RunEvent) => void;
