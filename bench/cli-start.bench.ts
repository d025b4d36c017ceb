/**
 * The CLI's own cost: `shoppe --version` against a bare `node -e 0` in the same run (goal:
 * within 2x; every command loads its action and its heavy libraries only when it runs), and
 * `shoppe render --check` of the default stack (goal: under 0.3 s), both as processes of the
 * built CLI, as users start it.
 */
import { bench, describe } from "vitest";
import { cliMissing, run, SHOPPE_BIN } from "./support/processes.js";

const missing = cliMissing();

(missing ? describe.skip : describe)(`start the CLI${missing ? ` (${missing})` : ""}`, () => {
  const options = { time: 3_000, iterations: 20, warmupIterations: 3 };
  bench(
    "shoppe --version",
    async () => {
      await run(["node", SHOPPE_BIN, "--version"]);
    },
    options,
  );
  bench(
    "peer: node -e 0",
    async () => {
      await run(["node", "-e", "0"]);
    },
    options,
  );
  bench(
    "shoppe render --check (the default stack)",
    async () => {
      await run(["node", SHOPPE_BIN, "-q", "render", "--check"]);
    },
    options,
  );
});
