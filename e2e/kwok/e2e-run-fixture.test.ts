/**
 * `shoppe e2e run --provider kwok` on the fixture stack (test/fixtures/e2e-stack): a component
 * kwok keeps in ImagePullBackOff fails the run with a bundle whose SUMMARY.md names it; an
 * upgrade from an earlier commit keeps the store's volume and records honestly that no live
 * check proved the data; --keep keeps and says how to delete; Ctrl-C and SIGTERM mid-run tear
 * everything down. API-level only: pods are simulated.
 */
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { e2eRun } from "../../src/actions/e2e.js";
import type { Check, UpgradeCheck } from "../../src/e2e/checks/check.js";
import { CHECKS } from "../../src/e2e/checks/registry.js";
import { type FixtureProject, fixtureProject } from "../../test/e2e-run/fixture-project.js";
import { runCli } from "../../test/helpers/cli.js";
import { spawnCli } from "../../test/helpers/spawn-cli.js";
import { describeWithTools } from "../../test/helpers/tools.js";
import { clusterStates, expectNothingLeft, readBundle, readRuns } from "./e2e-support.js";

const TOOLS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "helm",
];

describeWithTools("shoppe e2e run --provider kwok on the fixture stack", TOOLS, () => {
  const projects: FixtureProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.close();
  });
  const open = async (o: { repo?: boolean } = {}) => {
    const p = await fixtureProject(o);
    projects.push(p);
    return p;
  };
  const clusters = (p: FixtureProject) => path.join(p.root, ".shoppe/clusters");

  it("fails on a component kwok keeps in ImagePullBackOff; the bundle's SUMMARY.md names it and leaks no secret", async () => {
    const p = await open();
    const r = await runCli(
      ["e2e", "run", "--provider", "kwok", "--profile", "broken-image", "--timeout", "8s"],
      p.root,
      p.env,
    );
    expect(r.code, r.stderr).toBe(1);
    const [run] = readRuns(path.join(p.root, ".shoppe/e2e"));
    expect(run?.files).toEqual(["bundle.tar.gz", "junit.xml", "results.json", "summary.md"]);
    const res = run?.results;
    expect(res).toMatchObject({
      status: "failed",
      tier: "control-plane",
      profile: "broken-image",
      bundle: "bundle.tar.gz",
    });
    expect(res?.provider).toMatchObject({
      name: "kwok",
      runsContainers: false,
      chosenBecause: "named by --provider",
    });
    const web = res?.components.find((c) => c.id === "web");
    expect(web?.status).toBe("failed");
    expect(web?.reason).toMatch(
      /^not ready after 8s: .*container web: ImagePullBackOff \(image example\.org\/e2e\/web:1\.0\)/,
    );
    expect(res?.components.find((c) => c.id === "store")?.status).toBe("passed");
    expect(res?.warnings.some((w) => w.component === "web" && w.reason === "Failed")).toBe(true);
    expect(res?.teardown.status).toBe("done");
    const bundle = await readBundle(run?.dir as string);
    expect(bundle.get("SUMMARY.md")).toContain(
      "**web** failed first: container web: ImagePullBackOff (image example.org/e2e/web:1.0)",
    );
    expect(
      [...bundle.keys()].filter((k) => k.startsWith("namespaces/") && k.endsWith("SIMULATED.txt")),
    ).toHaveLength(1);
    expect([...bundle.keys()]).toEqual(
      expect.arrayContaining(["cluster/nodes.md", `helm/${res?.namespace}/e2e-demo/history.txt`]),
    );
    for (const [file, text] of bundle)
      expect(text, file).not.toContain("fixture-web-token-not-a-secret");
    const junit = (await import("node:fs")).readFileSync(
      path.join(run?.dir as string, "junit.xml"),
      "utf8",
    );
    expect(junit).toMatch(/name="web is ready"[^>]*>\n {6}<failure message="not ready after 8s/);
    await expectNothingLeft(clusters(p));
  }, 180_000);

  it("upgrades from an earlier commit: the store keeps its claim; no live check proved the data, and it says so", async () => {
    const p = await open({ repo: true });
    const v1 = p.commit("v1");
    await p.edit("name: e2e-demo\n  version: 0.1.0", "name: e2e-demo\n  version: 0.2.0");
    await p.edit("example.org/e2e/web:1.0", "example.org/e2e/web:1.1");
    await p.edit(
      'repository: example.org/e2e/web\n        tag: "1.0"',
      'repository: example.org/e2e/web\n        tag: "1.1"',
    );
    let called = 0;
    const live: Check = {
      name: "web-answers",
      component: "web",
      description: "",
      needs: ["live-service"],
      run: async () => {
        called++;
        return { status: "passed", evidence: [] };
      },
    };
    const liveData: UpgradeCheck = {
      name: "web-data-kept",
      component: "web",
      description: "",
      needs: ["live-service"],
      before: async () => {
        called++;
      },
      after: async () => {
        called++;
        return { status: "passed", evidence: [] };
      },
    };
    const result = await e2eRun(p.ctx, {
      provider: { name: "kwok", origin: "the test" },
      upgradeFrom: "HEAD",
      timeoutMs: 60_000,
      checks: {
        checks: [...CHECKS.checks, live],
        upgradeChecks: [...CHECKS.upgradeChecks, liveData],
      },
    });
    expect(result.status).toBe("passed");
    const res = result.runs[0]?.results;
    expect(res?.chart.version).toBe("0.2.0");
    expect(res?.git).toEqual({ commit: v1, dirty: true });
    expect(res?.upgrade?.from).toEqual({ ref: "HEAD", commit: v1, chartVersion: "0.1.0" });
    expect(res?.upgrade?.components.map((c) => [c.id, c.status])).toEqual([
      ["web", "passed"],
      ["store", "passed"],
    ]);
    expect(res?.upgrade?.checks.map((c) => [c.name, c.status, c.reason])).toEqual([
      ["web-data-kept", "skipped", "pods are simulated"],
      ["claims-kept", "passed", undefined],
    ]);
    expect(res?.upgrade?.checks[1]?.evidence[0]).toMatch(
      /^claim data-store-0: same claim, still bound to pvc-/,
    );
    expect(res?.upgrade?.reason).toBe(
      "pods are simulated: no data was written through a live service",
    );
    expect(res?.checks.map((c) => [c.name, c.status, c.reason])).toEqual([
      ["endpoints-ready", "passed", undefined],
      // The registry's integration check needs live services too: skipped, never called.
      ["wiring-answers", "skipped", "pods are simulated"],
      ["web-answers", "skipped", "pods are simulated"],
    ]);
    expect(called).toBe(0);
    readRuns(path.join(p.root, ".shoppe/e2e"));
    await expectNothingLeft(clusters(p));
  }, 180_000);

  it("keeps the cluster with --keep, says how to reach and delete it, and that command deletes it", async () => {
    const p = await open();
    const r = await runCli(
      ["e2e", "run", "--provider", "kwok", "--keep", "--timeout", "60s"],
      p.root,
      p.env,
    );
    expect(r.code, r.stderr).toBe(0);
    const [run] = readRuns(path.join(p.root, ".shoppe/e2e"));
    expect(run?.results).toMatchObject({
      status: "passed",
      tier: "control-plane",
      teardown: { status: "kept" },
    });
    expect(run?.results.checks[0]).toMatchObject({ name: "endpoints-ready", status: "passed" });
    const [state] = clusterStates(clusters(p));
    expect(state?.phase).toBe("ready");
    expect(r.stderr).toContain(`export KUBECONFIG=${state?.kubeconfig}`);
    const del = /shoppe (cluster delete --provider kwok --name \S+)/
      .exec(r.stderr)?.[1]
      ?.split(" ");
    expect(del).toBeDefined();
    expect((await runCli(del as string[], p.root, p.env)).code).toBe(0);
    await expectNothingLeft(clusters(p), state ? [state] : []);
  }, 180_000);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`tears everything down when ${signal} arrives while it waits for readiness`, async () => {
      const p = await open();
      const cli = spawnCli(
        ["e2e", "run", "--provider", "kwok", "--profile", "never-ready", "--timeout", "5m"],
        p.root,
        p.env,
      );
      const deadline = Date.now() + 120_000;
      while (!cli.output().includes("[install]") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const states = clusterStates(clusters(p));
      expect(states).toHaveLength(1);
      cli.child.kill(signal);
      expect(await cli.exited).toBe(signal === "SIGINT" ? 130 : 143);
      expect(cli.output()).toContain(
        `error: e2e run interrupted (received ${signal}); everything it created was removed`,
      );
      const [run] = readRuns(path.join(p.root, ".shoppe/e2e"));
      expect(run?.results.status).toBe("interrupted");
      expect(run?.results.components.find((c) => c.id === "store")).toMatchObject({
        status: "not-run",
      });
      await expectNothingLeft(clusters(p), states);
    }, 180_000);
  }
});
