/**
 * Ctrl-C and SIGTERM for commands that own cleanup (a cluster being created, a staging
 * directory being filled): the first signal aborts an AbortSignal the action watches, so the
 * action removes what it started and rejects; the CLI then exits 130 or 143. A second signal
 * takes the default action, for a user who does not want to wait for the cleanup.
 */
import { InterruptedError } from "../errors.js";

/** An AbortSignal that the first SIGINT or SIGTERM aborts, and the removal of its handlers. */
export function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const on = (s: NodeJS.Signals) => () =>
    controller.abort(new InterruptedError(s, `received ${s}`));
  const handlers = { SIGINT: on("SIGINT"), SIGTERM: on("SIGTERM") };
  for (const [s, h] of Object.entries(handlers)) process.once(s, h);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [s, h] of Object.entries(handlers)) process.removeListener(s, h);
    },
  };
}

/**
 * Runs `work` with an abort signal wired to SIGINT and SIGTERM. When a signal arrived and the
 * work failed, the failure becomes an InterruptedError (same message), whose exit code is the
 * conventional 128 + signal number; work that completed despite the signal (it was past the
 * point of no return) returns normally.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = abortOnSignals();
  try {
    return await work(abort.signal);
  } catch (err) {
    const reason: unknown = abort.signal.reason;
    if (err instanceof InterruptedError || !(reason instanceof InterruptedError)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new InterruptedError(reason.signal, message, { cause: err });
  } finally {
    abort.dispose();
  }
}
