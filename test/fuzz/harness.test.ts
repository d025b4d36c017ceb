/**
 * The fuzz harness catches what a property alone could not: a synchronous infinite loop is a
 * hang reported at the deadline (the child is killed and the next case gets a new one), and
 * the invariants fail on the outcomes they exist to catch.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CliChild, HarnessFailure } from "./harness.js";
import { expectOnlyOwnedWrites, expectSane, InvariantError } from "./invariants.js";

describe("the CLI child", () => {
  const child = new CliChild(1500);
  afterAll(() => child.dispose());

  it("reports a synchronous infinite loop as a hang, then runs the next case in a new child", async () => {
    await child.start();
    const started = performance.now();
    await expect(child.spin()).rejects.toThrow(HarnessFailure);
    expect(performance.now() - started).toBeLessThan(15_000);
    const help = await child.run(["--version"], process.cwd());
    expect(help).toMatchObject({ code: 0, stdout: "0.1.0\n" });
  });
});

describe("the invariants", () => {
  it("fail on an exit code outside {0, 1, 2}, an internal error, a stack trace or stray output", () => {
    const run = (code: number, stderr = "") => ({ code, stdout: "", stderr });
    expect(() => expectSane("x", run(2))).not.toThrow();
    expect(() => expectSane("x", run(130))).toThrow(InvariantError);
    expect(() => expectSane("x", run(1, "internal error: boom\n"))).toThrow(/internal error/);
    expect(() => expectSane("x", run(1, "error: e\n    at f (/a/b.ts:1:2)\n"))).toThrow(
      /stack trace/,
    );
    expect(() => expectSane("x", { ...run(2), stray: "Warning: keys\n" })).toThrow(/past the CLI/);
  });

  it("fail on a write outside the output directory, or a change to what render did not write", () => {
    const before = {
      "p/out/": "dir",
      "p/out/a": "file 1",
      "p/out/mine": "file 2",
      "p/x": "file 3",
    };
    const ok = { ...before, "p/out/a": "file 9" };
    expect(() => expectOnlyOwnedWrites("r", before, ok, "p/out", ["a"])).not.toThrow();
    const outside = { ...ok, "p/x": "file 8" };
    expect(() => expectOnlyOwnedWrites("r", before, outside, "p/out", ["a"])).toThrow(
      /wrote outside p\/out: p\/x/,
    );
    const { "p/out/mine": _, ...lost } = ok;
    expect(() => expectOnlyOwnedWrites("r", before, lost, "p/out", ["a"])).toThrow(
      /did not write: p\/out\/mine/,
    );
  });
});
