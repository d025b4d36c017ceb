/**
 * One service tier per test file: the real umbrella (dependencies from the upstream mirror, or
 * the repositories when allowed) rendered with a profile, the given launchers started from it,
 * and a check target on the local processes. Tests stop a server or point a check elsewhere
 * to see it fail, against the same real servers.
 */

import { expect } from "vitest";
import { chartDeps } from "../../src/actions/chart-deps.js";
import type { Check, CheckTarget, ServiceAccess } from "../../src/e2e/checks/check.js";
import type { ComponentResult } from "../../src/e2e/results/model.js";
import { type CheckEnvironment, runChecks } from "../../src/e2e/run/checks.js";
import type { Launcher } from "../../src/e2e/service/launcher.js";
import { SHARED_LAUNCHERS } from "../../src/e2e/service/launchers/index.js";
import {
  type RenderedRelease,
  renderProjectChart,
  renderRelease,
} from "../../src/e2e/service/render.js";
import { ServiceTier } from "../../src/e2e/service/tier.js";
import { openUmbrella, selectProfiles, type UmbrellaProfile } from "../../src/helm/umbrella.js";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { openHelm } from "../../src/tools/helm.js";
import { createRealProject, type RealProject } from "./real-project.js";
import { realChartsArgs } from "./upstream-mirror.js";

/** A started tier. */
export interface TestTier {
  project: RealProject;
  tier: ServiceTier;
  rendered: RenderedRelease;
  components: ComponentResult[];
  /** A check target on the tier; `services` replaced when given (a wrong port, say). */
  target(o?: { services?: ServiceAccess; signal?: AbortSignal }): CheckTarget;
  close(): Promise<void>;
}

/** Starts `launchers` from the real umbrella rendered with `profile` (default ci). */
export async function startTier(
  launchers: readonly Launcher[],
  o: { profile?: string; timeoutMs?: number; edit?: (r: RenderedRelease) => void } = {},
): Promise<TestTier> {
  const project = await createRealProject();
  const args = await realChartsArgs();
  await chartDeps(project.ctx, args[1] ? { mirror: args[1] } : {});
  const u = await openUmbrella(project.ctx, {});
  const [profile] = selectProfiles(u, o.profile ?? "ci") as [UmbrellaProfile];
  const helm = openHelm(project.ctx, "v4");
  const namespace = "shoppe-test";
  const kubeVersion = u.stack.kubernetes.versions.at(-1)?.version as string;
  const rendered = await renderRelease(u, profile, helm, { namespace, kubeVersion });
  o.edit?.(rendered);
  const ac = new AbortController();
  const tier = new ServiceTier({
    ...rendered,
    profile: profile.name,
    root: project.root,
    runner: project.ctx.runner,
    envPath: project.ctx.env.PATH ?? "",
    renderChart: (chart, r) => renderProjectChart(helm, project.root, chart, { ...r, namespace }),
    launchers,
    shared: SHARED_LAUNCHERS,
    timeoutMs: o.timeoutMs ?? 120_000,
    signal: ac.signal,
    mirror: args[1] ? await loadMirror(args[1]) : undefined,
    provider: project.ctx,
  });
  let components: ComponentResult[] = [];
  try {
    components = await tier.launch(launchers.map((l) => l.component));
  } catch (err) {
    await tier.stop();
    await project.close();
    throw err;
  }
  return {
    project,
    tier,
    rendered,
    components,
    target: (t = {}) => ({
      namespace,
      release: rendered.release,
      endpointsConfigMap: `${rendered.release}-endpoints`,
      services: t.services ?? tier.services,
      runner: project.ctx.runner,
      signal: t.signal ?? AbortSignal.timeout(60_000),
    }),
    async close() {
      ac.abort();
      await tier.stop();
      await project.close();
    },
  };
}

/** The programs ServiceX's part of the tier runs (its launcher starts all of them). */
export const SERVICEX_TOOLS = [
  "git",
  "servicex-gunicorn",
  "servicex-codegen-gunicorn",
  "servicex-client-python",
  "moto_server",
  "rabbitmq-server",
  "kube-apiserver",
  "kwok",
];

/** Every program the whole tier runs (every launcher, and psql for MLflow's production store). */
export const TIER_TOOLS = [
  "helm",
  "xrootd",
  "xrdcp",
  "mlflow",
  "tritonserver",
  "jupyterhub",
  "configurable-http-proxy",
  "psql",
  ...SERVICEX_TOOLS,
];

/** The services of `t` with every connection hanging: a check on them ends only by its timeout. */
export function hangingServices(t: TestTier): ServiceAccess {
  return {
    via: "local process",
    reach: () => new Promise(() => {}),
    lookup: () => undefined,
    wiring: () => t.tier.services.wiring(),
    params: (c) => t.tier.services.params(c),
  };
}

/** The services of `t` reached at loopback port 9, where nothing listens: a wrong port. */
export function wrongPortServices(t: TestTier): ServiceAccess {
  return {
    via: "local process",
    reach: async (s, ns) => ({ name: `${s}.${ns}.svc`, host: "127.0.0.1", port: 9 }),
    lookup: (h) => t.tier.services.lookup(h),
    wiring: () => t.tier.services.wiring(),
    params: (c) => t.tier.services.params(c),
  };
}

/** Runs `check` on hanging services with a 1 s timeout: it fails by that timeout, promptly. */
export async function expectBoundedByTimeout(
  check: Check,
  t: TestTier,
  env: CheckEnvironment,
): Promise<void> {
  const t0 = Date.now();
  const [r] = await runChecks([check], t.target({ services: hangingServices(t) }), {
    ...env,
    timeoutMs: 1_000,
  });
  expect(r?.status).toBe("failed");
  expect(r?.reason).toBe("timed out after 1s");
  expect(Date.now() - t0).toBeLessThan(5_000);
}
