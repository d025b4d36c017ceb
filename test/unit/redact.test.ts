import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/exec/redact.js";

describe("Redactor", () => {
  it("replaces secrets registered from secret-looking environment variables", () => {
    const r = Redactor.fromEnv({ GITHUB_TOKEN: "s3cr3t-value-123", HOME: "/home/me" });
    expect(r.redact("push with s3cr3t-value-123 as /home/me")).toBe("push with *** as /home/me");
  });

  it("masks token shapes and credentials on command lines even when not registered", () => {
    const r = new Redactor();
    expect(r.redact("token ghp_abcdefghijklmnopqrstuvwxyz0123")).toBe("token ***");
    expect(r.redact("helm registry login --password hunter22 host")).toBe(
      "helm registry login --password *** host",
    );
    expect(r.redact("Authorization: Bearer abc.def.ghi")).toBe("Authorization: Bearer ***");
  });

  it("ignores values too short to be secrets", () => {
    const r = new Redactor();
    r.add("abc");
    expect(r.redact("abc abc")).toBe("abc abc");
  });
});
