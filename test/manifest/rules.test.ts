/** Rule helpers that take user text as keys: own keys only, no recursion on long chains. */
import { describe, expect, it } from "vitest";
import { findCycle } from "../../src/manifest/rules/dependencies.js";
import { valueAt } from "../../src/manifest/rules/wiring.js";

describe("findCycle", () => {
  it("finds the cycle of a chain far longer than the call stack could follow", () => {
    const n = 200_000;
    const graph = new Map<string, string[]>();
    for (let i = 0; i < n; i++) graph.set(`c${i}`, [`c${(i + 1) % n}`]);
    const cycle = findCycle(graph);
    expect(cycle).toHaveLength(n + 1);
    expect(cycle?.[0]).toBe(cycle?.[n]);
  });

  it("ignores self-dependencies and unknown targets, and finds none in a DAG", () => {
    const graph = new Map([
      ["a", ["a", "b", "toString"]],
      ["b", ["c"]],
      ["c", []],
    ]);
    expect(findCycle(graph)).toBeUndefined();
    graph.set("c", ["a"]);
    expect(findCycle(graph)).toEqual(["a", "b", "c", "a"]);
  });
});

describe("valueAt", () => {
  it("sees only own keys, so Object.prototype members are not values", () => {
    expect(valueAt({}, "constructor")).toBeUndefined();
    expect(valueAt({ a: {} }, "a.toString")).toBeUndefined();
    expect(valueAt({ constructor: { x: 1 } }, "constructor.x")).toBe(1);
    expect(valueAt({ a: [1] }, "a.0")).toBeUndefined();
  });
});
