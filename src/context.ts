/**
 * The one Context that carries shared dependencies into every action: no module-level
 * singletons and no process.cwd() deep in the library.
 */

import { Redactor } from "./exec/redact.js";
import { ExecaRunner, type Runner } from "./exec/runner.js";
import { type Logger, type Progress, silentLogger, silentProgress } from "./log.js";

/** Shared dependencies of every action. */
export interface Context {
  /** Project root: where stack.yaml, charts/ and .tools/ live. */
  root: string;
  runner: Runner;
  logger: Logger;
  progress: Progress;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** Wall clock, injectable so generated timestamps are reproducible in tests. */
  now: () => Date;
}

/** Builds a Context with real dependencies; tests override fields as they need. */
export function createContext(overrides: Partial<Context> & { root: string }): Context {
  const env = overrides.env ?? process.env;
  const redactor = overrides.redactor ?? Redactor.fromEnv(env);
  return {
    runner: overrides.runner ?? new ExecaRunner(redactor),
    logger: overrides.logger ?? silentLogger,
    progress: overrides.progress ?? silentProgress,
    now: overrides.now ?? (() => new Date()),
    ...overrides,
    env,
    redactor,
  };
}
