/**
 * A release is an ordered list of small steps, each able to tell whether it is already done
 * (so a rerun after a failure finishes the rest and repeats nothing) and to do itself. A dry
 * run asks every step what it would do and does nothing. The first failure stops the run and
 * is reported with the steps before it, and how to resume.
 */
import { CommandError, ShoppeError } from "../../errors.js";
import type { Progress } from "../../log.js";

/** What became of one step. */
export interface StepOutcome {
  name: string;
  /** done: found already done; applied: done now; would: dry run; failed; skipped: not reached. */
  status: "done" | "applied" | "would" | "failed" | "skipped";
  detail: string;
}

/** One step of a release. */
export interface ReleaseStep {
  name: string;
  /** What the step does, for the dry run and the progress line. */
  describe(): string;
  /** A description of the finished state when the step is already done, else undefined. */
  done(): Promise<string | undefined>;
  /** Does the step; returns what it did. */
  apply(): Promise<string>;
  /** Whether a dry run may call `done` (it must then only read). Default true. */
  checkInDryRun?: boolean;
}

/** A release that stopped at a step; the outcomes say how far it got. */
export class ReleaseStepError extends ShoppeError {
  constructor(
    message: string,
    readonly outcomes: StepOutcome[],
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** Runs `steps` in order (or, with `dryRun`, describes them). */
export async function runSteps(
  steps: readonly ReleaseStep[],
  o: {
    dryRun: boolean;
    progress: Progress;
    /** After a failure: sets things right for a rerun and says how to go on. */
    resumeHint: (outcomes: StepOutcome[]) => Promise<string>;
  },
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const [i, s] of steps.entries()) {
    const line = o.progress.start(`${s.name}: ${s.describe()}`);
    try {
      const found = o.dryRun && s.checkInDryRun === false ? undefined : await s.done();
      if (found !== undefined) {
        outcomes.push({ name: s.name, status: "done", detail: found });
        line.succeed(`already done: ${found}`);
      } else if (o.dryRun) {
        outcomes.push({ name: s.name, status: "would", detail: s.describe() });
        line.succeed("dry run");
      } else {
        const did = await s.apply();
        outcomes.push({ name: s.name, status: "applied", detail: did });
        line.succeed(did);
      }
    } catch (err) {
      line.fail();
      const why = err instanceof Error ? err.message : String(err);
      outcomes.push({ name: s.name, status: "failed", detail: why });
      for (const rest of steps.slice(i + 1)) {
        outcomes.push({ name: rest.name, status: "skipped", detail: rest.describe() });
      }
      const message = why.startsWith("failed to") ? why : `failed to ${s.name}: ${why}`;
      // A program's own words (git's "index.lock exists", helm's reason) are the why.
      const said =
        err instanceof CommandError && err.output.trim()
          ? `\n${err.output.trim().replace(/^/gm, "  | ")}`
          : "";
      const hint = await o.resumeHint(outcomes);
      const stopped = new ReleaseStepError(`${message}${said}\n${hint}`, outcomes, err);
      if (err instanceof ShoppeError)
        Object.defineProperty(stopped, "exitCode", { value: err.exitCode });
      throw stopped;
    }
  }
  return outcomes;
}
