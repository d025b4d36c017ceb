/**
 * The service tier (issue: smoke checks against the real server software).
 *
 * 1. The whole tier from the rendered real umbrella (ci profile): every launched component
 *    started in parallel, every registered check run, everything stopped. Target: under 60 s
 *    on the 2-core machines.
 * 2. The live checks' own time against the same operations driven by curl and xrdcp from a
 *    shell script (bench/support/service-checks.sh), on one running tier: the ratio is the
 *    suite's overhead (or saving) over the plainest client a person would write.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, bench, describe } from "vitest";
import { CHECKS } from "../src/e2e/checks/registry.js";
import { runChecks } from "../src/e2e/run/checks.js";
import { LAUNCHERS } from "../src/e2e/service/launchers/index.js";
import { findTool, ROOT } from "../test/helpers/tools.js";
import { startTier, type TestTier, TIER_TOOLS } from "../test/support/service-tier.js";
import { upstreamMode } from "../test/support/upstream-mirror.js";

const TOOLS = [...TIER_TOOLS, "curl"];
const missing = TOOLS.filter((t) => !findTool(t));
const can = missing.length === 0 && upstreamMode() !== undefined;
const env = {
  runsContainers: true,
  hasApi: false,
  notReady: new Set<string>(),
  timeoutMs: 120_000,
};
const live = CHECKS.checks.filter(
  (c) => c.needs.includes("live-service") && c.name !== "wiring-answers",
);

describe.runIf(can)(
  "service tier: start every component and run every check (target < 60 s)",
  () => {
    bench(
      "launch (parallel) + every check + stop",
      async () => {
        const t = await startTier(LAUNCHERS);
        try {
          const results = await runChecks(CHECKS.checks, t.target(), env);
          const bad = results.filter((r) => r.status === "failed");
          if (bad.length > 0) throw new Error(bad.map((r) => `${r.name}: ${r.reason}`).join("; "));
        } finally {
          await t.close();
        }
      },
      { iterations: 2, warmupIterations: 0, time: 0 },
    );
  },
);

/** One running tier for the suite-vs-script comparison (started once, before the benches). */
async function comparison() {
  const t = await startTier(LAUNCHERS);
  // The suite's Triton check loads the model the script only uses.
  await runChecks(live, t.target(), env);
  const s = t.tier.services;
  const x = await s.params("xcache");
  const hub = await s.params("coffea-casa");
  const scriptEnv = {
    ...process.env,
    NS: t.rendered.namespace,
    XCACHE: String(s.localPort("xcache", 1094)),
    ORIGIN: x.origin as string,
    FILE: x.file as string,
    CACHE_DATA: x.cacheData as string,
    MLFLOW: String(s.localPort("mlflow", 5000)),
    TRITON: String(s.localPort("triton", 8000)),
    HUB: String(s.localPort("proxy-public", 80)),
    HUB_TOKEN: hub.apiToken as string,
    SERVICEX: String(s.localPort(`${t.rendered.release}-servicex-app`, 8000)),
  };
  return { t, scriptEnv };
}
const cmp = can ? await comparison() : undefined;
afterAll(async () => {
  await cmp?.t.close();
});

describe.runIf(can)("the live checks on one running tier: the suite vs curl/xrdcp", () => {
  const t = cmp?.t as TestTier;
  const scriptEnv = cmp?.scriptEnv;
  bench(
    "shoppe's live checks (xcache, mlflow, triton, jupyterhub, servicex)",
    async () => {
      const results = await runChecks(live, t.target(), env);
      const bad = results.filter((r) => r.status !== "passed");
      if (bad.length > 0) throw new Error(bad.map((r) => `${r.name}: ${r.reason}`).join("; "));
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );
  bench(
    "peer: the same operations with curl and xrdcp (bench/support/service-checks.sh)",
    () => {
      execFileSync(path.join(ROOT, "bench/support/service-checks.sh"), {
        env: scriptEnv,
        stdio: "pipe",
      });
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );
});
