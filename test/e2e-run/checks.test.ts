/**
 * The check runner's honesty, with checks that record whether they were called: a check that
 * needs a live service is skipped on simulated pods (never called, never passed), a check of a
 * component that is not ready is not run, a throw or a hang is a failure; and the address
 * parser of endpoints-ready.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Check, CheckTarget, UpgradeCheck } from "../../src/e2e/checks/check.js";
import { serviceAddress } from "../../src/e2e/checks/endpoints-ready.js";
import { applicable, CHECKS } from "../../src/e2e/checks/registry.js";
import { afterUpgrade, beforeUpgrade, runChecks } from "../../src/e2e/run/checks.js";

const target: CheckTarget = {
  kc: new KubeConfig(),
  namespace: "ns",
  release: "r",
  endpointsConfigMap: "r-endpoints",
  signal: new AbortController().signal,
};

function check(name: string, over: Partial<Check> = {}): Check & { calls: number } {
  const c = {
    name,
    component: "web",
    description: name,
    needs: ["api"] as const,
    calls: 0,
    ...over,
  } as Check & { calls: number };
  c.run =
    over.run ??
    (async () => {
      c.calls++;
      return { status: "passed", evidence: ["seen"] };
    });
  return c;
}

describe("running checks", () => {
  it("skips a live-service check on simulated pods without calling it, and runs the API ones", async () => {
    const live = check("live", { needs: ["live-service"] });
    const api = check("api");
    const results = await runChecks([live, api], target, {
      runsContainers: false,
      notReady: new Set(),
      timeoutMs: 1_000,
    });
    expect(results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ["live", "skipped", "pods are simulated"],
      ["api", "passed", undefined],
    ]);
    expect(live.calls).toBe(0);
    const real = await runChecks([live], target, {
      runsContainers: true,
      notReady: new Set(),
      timeoutMs: 1_000,
    });
    expect(real[0]?.status).toBe("passed");
  });

  it("does not run the checks of a component that is not ready", async () => {
    const c = check("c");
    const [r] = await runChecks([c], target, {
      runsContainers: true,
      notReady: new Set(["web"]),
      timeoutMs: 1_000,
    });
    expect(r).toMatchObject({ status: "not-run", reason: "component web is not ready" });
    expect(c.calls).toBe(0);
  });

  it("records a throw and a hang as failures with their reasons", async () => {
    const throws = check("throws", {
      run: async () => {
        throw new Error("connection refused");
      },
    });
    const hangs = check("hangs", { run: () => new Promise(() => {}) });
    const results = await runChecks([throws, hangs], target, {
      runsContainers: true,
      notReady: new Set(),
      timeoutMs: 200,
    });
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ["failed", "connection refused"],
      ["failed", "timed out after 0.2s"],
    ]);
  });

  it("skips a live upgrade check on simulated pods before and after, and fails one whose before throws", async () => {
    let called = 0;
    const live: UpgradeCheck = {
      name: "data-kept",
      component: "web",
      description: "",
      needs: ["live-service"],
      before: async () => {
        called++;
      },
      after: async () => ({ status: "passed", evidence: [] }),
    };
    const broken: UpgradeCheck = {
      name: "broken",
      component: "web",
      description: "",
      needs: ["api"],
      before: async () => {
        throw new Error("no claims API");
      },
      after: async () => ({ status: "passed", evidence: [] }),
    };
    const env = { runsContainers: false, notReady: new Set<string>(), timeoutMs: 1_000 };
    const memos = await beforeUpgrade([live, broken], target, env);
    const results = await afterUpgrade(memos, target, env);
    expect(results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ["data-kept", "skipped", "pods are simulated"],
      ["broken", "failed", "before the upgrade: no claims API"],
    ]);
    expect(called).toBe(0);
  });

  it("registers the integration checks for every release and a component's only when enabled", () => {
    expect(applicable(CHECKS.checks, {}).map((c) => c.name)).toEqual([
      "endpoints-ready",
      "wiring-answers",
    ]);
    expect(applicable([check("w")], { web: false })).toEqual([]);
    expect(applicable([check("w")], { web: true })).toHaveLength(1);
  });
});

describe("endpoints-ready addresses", () => {
  it("reads the Service, namespace and port of in-cluster addresses and nothing else", () => {
    expect(serviceAddress("http://mlflow.ns1.svc:5000", "ns")).toEqual({
      service: "mlflow",
      namespace: "ns1",
      port: 5000,
    });
    expect(serviceAddress("root://xcache.ns1.svc.cluster.local:1094/", "ns")).toEqual({
      service: "xcache",
      namespace: "ns1",
      port: 1094,
    });
    expect(serviceAddress("xcache.ns1.svc", "ns")).toEqual({
      service: "xcache",
      namespace: "ns1",
      port: undefined,
    });
    expect(serviceAddress("xcache:1094", "ns")).toEqual({
      service: "xcache",
      namespace: "ns",
      port: 1094,
    });
    expect(serviceAddress("1094", "ns")).toBe("a port, not an address");
    expect(serviceAddress("https://example.org/api", "ns")).toBe(
      "example.org is not an in-cluster Service address",
    );
  });
});
