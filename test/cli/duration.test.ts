/** The one duration syntax of every `--timeout` (e2e run, cluster create). */
import { describe, expect, it } from "vitest";
import { durationMs } from "../../src/cli/options.js";
import { UsageError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";

describe("durationMs", () => {
  it("reads seconds, minutes and hours, a bare number as seconds", () => {
    expect(durationMs("--timeout", "90s")).toBe(90_000);
    expect(durationMs("--timeout", "10m")).toBe(600_000);
    expect(durationMs("--timeout", "1h")).toBe(3_600_000);
    expect(durationMs("--timeout", "180")).toBe(180_000);
  });

  it.each(["0s", "0", "soon", "1.5m", "-3s", "10 m", ""])("refuses %j naming the flag", (v) => {
    expect(() => durationMs("--timeout", v)).toThrow(
      new UsageError(`--timeout expects a duration like 90s, 10m or 1h, got "${v}"`),
    );
  });

  it("is what cluster create reads: a bad one exits 2 before anything starts", async () => {
    const r = await runCli(["cluster", "create", "--timeout", "0s"], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --timeout expects a duration like 90s, 10m or 1h, got "0s"\n');
  });
});
