/** Kubernetes quantities: every suffix, exponents, YAML numbers, rounding, formatting. */
import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCount,
  formatCpu,
  parseQuantity,
  QuantityError,
  toUnits,
} from "../../src/inspect/quantity.js";

const n = (q: string | number) => parseQuantity(q);

describe("parseQuantity", () => {
  it.each([
    ["1", 1_000_000_000n],
    ["250m", 250_000_000n],
    ["0.5", 500_000_000n],
    [".5", 500_000_000n],
    ["1.", 1_000_000_000n],
    ["+2", 2_000_000_000n],
    ["-1", -1_000_000_000n],
    ["100n", 100n],
    ["5u", 5_000n],
    ["1k", 1_000n * 1_000_000_000n],
    ["1M", 10n ** 6n * 10n ** 9n],
    ["1G", 10n ** 9n * 10n ** 9n],
    ["1T", 10n ** 12n * 10n ** 9n],
    ["1P", 10n ** 15n * 10n ** 9n],
    ["1E", 10n ** 18n * 10n ** 9n],
    ["1Ki", 1024n * 10n ** 9n],
    ["1Mi", 2n ** 20n * 10n ** 9n],
    ["1.5Gi", 3n * 2n ** 29n * 10n ** 9n],
    ["2Ti", 2n * 2n ** 40n * 10n ** 9n],
    ["1Pi", 2n ** 50n * 10n ** 9n],
    ["1Ei", 2n ** 60n * 10n ** 9n],
    ["1e3", 1_000n * 10n ** 9n],
    ["1E3", 1_000n * 10n ** 9n],
    ["1.5e3", 1_500n * 10n ** 9n],
    ["128e6", 128_000_000n * 10n ** 9n],
    ["1e-3", 1_000_000n],
    ["2E+2", 200n * 10n ** 9n],
  ])("%s", (text, nano) => {
    expect(n(text)).toBe(nano);
  });

  it("takes YAML numbers as written", () => {
    expect(n(2)).toBe(2_000_000_000n);
    expect(n(0.1)).toBe(100_000_000n);
    expect(n(1e21)).toBe(10n ** 21n * 10n ** 9n);
  });

  it("rounds fractions of a nano-unit up, as the API server does", () => {
    expect(n("0.1n")).toBe(1n);
    expect(n("1.0000000001")).toBe(1_000_000_001n);
  });

  it("keeps the classic mistake visible: memory in milli-bytes is tiny", () => {
    expect(toUnits(n("128m"))).toBe(0.128);
  });

  it.each(["", "abc", "1.2.3", "1Gb", "1 Gi", "Gi", "1e", "--1", "1ki"])("rejects %j", (bad) => {
    expect(() => n(bad)).toThrow(QuantityError);
  });
});

describe("formatting", () => {
  it("formats CPU as cores or millicores", () => {
    expect(formatCpu(n("2"))).toBe("2");
    expect(formatCpu(n("1500m"))).toBe("1500m");
    expect(formatCpu(n("0"))).toBe("0");
    expect(formatCpu(n("1n"))).toBe("1m");
  });

  it("formats bytes in binary units with two decimals at most", () => {
    expect(formatBytes(n("1536Mi"))).toBe("1.5Gi");
    expect(formatBytes(n("512Mi"))).toBe("512Mi");
    expect(formatBytes(n("128e6"))).toBe("122.07Mi");
    expect(formatBytes(n("100"))).toBe("100");
    expect(formatBytes(n("2Ti"))).toBe("2Ti");
    expect(formatBytes(0n)).toBe("0");
  });

  it("formats counts", () => {
    expect(formatCount(n("1"))).toBe("1");
    expect(formatCount(n("500m"))).toBe("0.5");
  });
});
