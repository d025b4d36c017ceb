/**
 * The rules a badge and a matrix cell follow, one by one: a failure at any tier fails the
 * cell, the latest run of a tier replaces an older one, a `service` run whose checks never
 * reached a component's service earns it nothing, a stack run that did not pass earns no
 * tier, a results file never points outside its directory.
 */
import { describe, expect, it } from "vitest";
import { combine, componentOutcome, runRef, stackOutcome } from "../../src/compat/outcome.js";
import type { RunFile } from "../../src/compat/runs.js";
import { badgeMessage, overall } from "../../src/compat/wording.js";
import type { E2eResults } from "../../src/e2e/results/model.js";
import { results } from "./compat-project.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

function runOf(over: Partial<E2eResults>, name = "r"): RunFile {
  return {
    file: `${name}/results.json`,
    path: `/x/${name}/results.json`,
    results: { ...results({ kube: "1.35.4", digest: DIGEST }), ...over },
  };
}

describe("outcomes", () => {
  it("fails a cell on a failure at any tier, even under a pass at a higher one", () => {
    const kind = runOf({}, "kind");
    const kwok = runOf(
      {
        tier: "control-plane",
        status: "failed",
        components: [{ id: "alpha", status: "failed", reason: "CrashLoopBackOff", workloads: [] }],
      },
      "kwok",
    );
    const v = combine([componentOutcome(kind, "alpha"), componentOutcome(kwok, "alpha")]);
    expect(v.state).toBe("failing");
    expect(v.tier).toBe("control-plane");
    expect(v.reasons).toEqual(["alpha: CrashLoopBackOff"]);
    expect(v.byTier.map((o) => o.tier)).toEqual(["cluster", "control-plane"]);
  });

  it("takes the latest run of each tier", () => {
    const failed = runOf(
      {
        finishedAt: "2026-12-01T00:00:00.000Z",
        components: [{ id: "alpha", status: "failed", workloads: [] }],
      },
      "a",
    );
    const passed = runOf({ finishedAt: "2026-12-02T00:00:00.000Z" }, "b");
    expect(
      combine([componentOutcome(passed, "alpha"), componentOutcome(failed, "alpha")]).state,
    ).toBe("passing");
    expect(combine([componentOutcome(failed, "alpha")]).state).toBe("failing");
  });

  it("orders runs by time, not by the text of their times", () => {
    // As text "…:05.500Z" sorts before "…:05Z" ("." < "Z"); as time it is later.
    const early = runOf({ finishedAt: "2026-12-01T10:00:05Z" }, "early");
    const later = runOf(
      {
        finishedAt: "2026-12-01T10:00:05.500Z",
        components: [{ id: "alpha", status: "failed", workloads: [] }],
      },
      "later",
    );
    const v = combine([componentOutcome(early, "alpha"), componentOutcome(later, "alpha")]);
    expect(v.state).toBe("failing");
  });

  it("gives a component nothing at the service tier unless one of its checks reached the service", () => {
    const base = runOf({ tier: "service" });
    const apiOnly = runOf({
      tier: "service",
      checks: base.results.checks.map((c) =>
        c.component === "beta" ? { ...c, needs: ["api"] as ("api" | "live-service")[] } : c,
      ),
    });
    expect(componentOutcome(base, "beta").state).toBe("passing");
    const o = componentOutcome(apiOnly, "beta");
    expect(o.state).toBe("partial");
    expect(o.reasons).toEqual(["no check of beta reached its service"]);
  });

  it("earns the stack no tier from a run that did not pass", () => {
    const interrupted = runOf({ status: "interrupted", reason: "received SIGINT" });
    expect(stackOutcome(interrupted, ["alpha"]).state).toBe("untested");
    const failed = runOf({ status: "failed", reason: "the upgrade failed" });
    expect(stackOutcome(failed, ["alpha"])).toMatchObject({
      state: "failing",
      reasons: ["the upgrade failed"],
    });
    expect(stackOutcome(runOf({}), ["alpha", "beta"]).state).toBe("passing");
  });

  it("says a failed run never installed the chart, rather than naming a tier", () => {
    const { tier: _, ...rest } = runOf({ status: "failed", reason: "helm install failed" }).results;
    const verdict = combine([stackOutcome({ ...runOf({}), results: rest }, ["alpha"])]);
    expect(verdict).toMatchObject({ state: "failing", tier: "not-installed" });
    expect(badgeMessage(["1.35.4"], overall([{ version: "1.35.4", verdict }]))).toBe(
      "k8s 1.35 | failing (on 1.35, not installed)",
    );
  });

  it("passes overall only when every version passes, at the lowest tier among them", () => {
    const pass = (tier: "cluster" | "control-plane") =>
      combine([componentOutcome(runOf({ tier }), "alpha")]);
    expect(
      overall([
        { version: "1.34.13", verdict: pass("cluster") },
        { version: "1.35.4", verdict: pass("control-plane") },
      ]),
    ).toEqual({
      state: "passing",
      tier: "control-plane",
      notes: [],
    });
    expect(
      overall([
        { version: "1.34.13", verdict: pass("cluster") },
        { version: "1.35.4", verdict: combine([]) },
      ]),
    ).toEqual({
      state: "partial",
      tier: "cluster",
      notes: ["untested on 1.35"],
    });
  });

  it("names software that stood in, or answered at another version, as a stand-in", () => {
    const r = runOf({ tier: "service" });
    const software = (id: string, s: object) =>
      r.results.components.map((c) =>
        c.id === id ? { ...c, software: [{ name: "x", pinned: "1.0", match: true, ...s }] } : c,
      );
    const standIn = runOf({
      tier: "service",
      components: software("alpha", { standIn: "no server here" }),
    });
    expect(componentOutcome(standIn, "alpha")).toMatchObject({
      state: "partial",
      standIns: ["alpha: x stood in for the real service (no server here)"],
    });
    const other = runOf({
      tier: "service",
      components: software("beta", { answered: "1.1", match: false }),
    });
    expect(componentOutcome(other, "beta").standIns).toEqual([
      "beta: x 1.1 answered, not the pinned 1.0",
    ]);
    const real = runOf({ tier: "service", components: software("gamma", { answered: "1.0" }) });
    expect(componentOutcome(real, "gamma").state).toBe("passing");
  });

  it("links a bundle only beside its results file", () => {
    expect(runRef(runOf({ bundle: "bundle.tar.gz" })).bundle).toBe("/x/r/bundle.tar.gz");
    expect(runRef(runOf({ bundle: "../../etc/passwd" })).bundle).toBeUndefined();
    expect(runRef(runOf({ bundle: ".." })).bundle).toBeUndefined();
  });
});
