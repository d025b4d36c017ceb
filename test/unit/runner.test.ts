import { describe, expect, it } from "vitest";
import { CommandError } from "../../src/errors.js";
import { Redactor } from "../../src/exec/redact.js";
import { ExecaRunner, shellQuote, tail } from "../../src/exec/runner.js";

describe("ExecaRunner", () => {
  const redactor = Redactor.fromEnv({ MY_TOKEN: "very-secret-token" });
  const runner = new ExecaRunner(redactor);

  it("returns stdout of a successful command", async () => {
    const res = await runner.run("sh", ["-c", "echo hello"]);
    expect(res.stdout.trim()).toBe("hello");
  });

  it("throws CommandError with the quoted command line, status and redacted output tail", async () => {
    const err = await runner
      .run("sh", ["-c", "echo first; echo 'leak very-secret-token' >&2; exit 3"])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    const ce = err as CommandError;
    expect(ce.exitStatus).toBe(3);
    expect(ce.message).toContain("exit status 3");
    expect(ce.command).toBe("sh -c 'echo first; echo '\\''leak ***'\\'' >&2; exit 3'");
    expect(ce.output).toContain("leak ***");
    expect(ce.output).not.toContain("very-secret-token");
  });

  it("reports a program that cannot start", async () => {
    const err = (await runner
      .run("/nonexistent/tool", ["x"])
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toBeInstanceOf(CommandError);
    expect(err.command).toBe("/nonexistent/tool x");
    expect(err.message).toMatch(/ENOENT|not found|failed/);
  });

  it("reports a timeout", async () => {
    const err = (await runner
      .run("sleep", ["5"], { timeoutMs: 100 })
      .catch((e: unknown) => e)) as CommandError;
    expect(err.message).toContain("timed out after 100 ms");
  });
});

describe("shellQuote and tail", () => {
  it("quotes only what a shell would split", () => {
    expect(shellQuote(["helm", "template", "a b", "--set", "x=1", "it's"])).toBe(
      "helm template 'a b' --set x=1 'it'\\''s'",
    );
  });
  it("keeps the last non-empty lines", () => {
    expect(tail("a\n\nb\nc\n", 2)).toBe("b\nc");
  });
});
