/**
 * A concurrency limit shared by every request of one command: at most `n` tasks run at once,
 * the rest wait in order. Registries and chart repositories throttle clients that open dozens
 * of connections, and a slow repository must not starve the others of their turn.
 */

/** Runs tasks with at most a fixed number in flight. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** A limiter allowing `n` (at least 1) concurrent tasks. */
export function createLimiter(n: number): Limiter {
  const max = Math.max(1, Math.floor(n));
  let active = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a newcomer cannot take it
  // in between and push the count past the limit.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(task) {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
