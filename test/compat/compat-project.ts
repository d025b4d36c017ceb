/**
 * A project for the badge and matrix tests: test/fixtures/compat/stack.yaml (release 0.2.0 in
 * the work tree, 0.1.0 tagged `v0.1.0` in git) and e2e results laid out as `shoppe e2e run
 * --results` writes them, with one cell of each kind on Kubernetes 1.35.4: passing (alpha),
 * failing (beta, with a bundle), a skipped check (gamma) and a stand-in (delta); every
 * component passes at tier cluster on 1.34.13. Three more files must be ignored: another
 * stack.yaml, a release without a tag, another chart.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { CheckResult, E2eResults } from "../../src/e2e/results/model.js";
import { ROOT } from "../helpers/tools.js";
import { type TempDir, tempDir } from "../support/temp.js";

const run = promisify(execFile);
const FIXTURE = path.join(ROOT, "test/fixtures/compat/stack.yaml");

/** The components of the fixture stack. */
export const IDS = ["alpha", "beta", "gamma", "delta"] as const;

/** The project and where its results are. */
export interface CompatProject {
  dir: TempDir;
  root: string;
  /** Results of release 0.2.0 (and the ignored ones), relative to the root. */
  current: string;
  /** Results of release 0.1.0, relative to the root. */
  previous: string;
  digest: string;
}

const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

function check(component: string, status: CheckResult["status"], reason?: string): CheckResult {
  return {
    name: `${component}-answers`,
    component,
    phase: "smoke",
    needs: ["live-service"],
    status,
    ...(reason ? { reason } : {}),
    durationMs: 10,
    evidence: status === "passed" ? ["HTTP 200"] : [],
  };
}

/** A run of the fixture stack; `over` replaces fields. */
export function results(
  over: Partial<E2eResults> & { kube: string; digest: string; version?: string },
): E2eResults {
  const { kube, digest, version = "0.2.0", ...rest } = over;
  return {
    apiVersion: "shoppe.coffea-casa.io/v1alpha1",
    kind: "E2eResults",
    runId: `run-${kube}`,
    status: "passed",
    tier: "cluster",
    startedAt: "2026-12-01T10:00:00.000Z",
    finishedAt: "2026-12-01T10:10:00.000Z",
    durationMs: 600_000,
    provider: {
      name: "kind",
      chosenBecause: "named by --provider",
      runsContainers: true,
      realControlPlane: true,
    },
    kubernetes: { version: kube },
    profile: "ci",
    stack: { file: "stack.yaml", digest, release: "demo-stack", version },
    chart: {
      name: "demo-stack",
      version,
      dependencies: IDS.map((id) => ({ component: id, chart: id, version: "1.0.0" })),
    },
    tools: { helm: "v4.3.1" },
    components: IDS.map((id) => ({ id, status: "passed" as const, workloads: [] })),
    checks: [
      ...IDS.map((id) => check(id, "passed")),
      { ...check("integration", "passed"), name: "endpoints-ready", needs: ["api"] },
    ],
    warnings: [],
    teardown: { status: "done" },
    ...rest,
  };
}

/** The kwok run on 1.35.4: beta fails, gamma's live check is skipped, delta is a substitute. */
function failedKwokRun(digest: string): E2eResults {
  const base = results({ kube: "1.35.4", digest });
  return {
    ...base,
    runId: "run-kwok-1.35.4",
    status: "failed",
    reason: "beta did not become ready",
    tier: "control-plane",
    provider: {
      name: "kwok",
      chosenBecause: "named by --provider",
      runsContainers: false,
      realControlPlane: true,
    },
    chart: {
      ...base.chart,
      dependencies: base.chart.dependencies.map((d) =>
        d.component === "delta"
          ? { ...d, substitute: "the published archive could not be fetched here" }
          : d,
      ),
    },
    components: base.components.map((c) =>
      c.id === "beta"
        ? {
            ...c,
            status: "failed",
            reason:
              "not ready after 90s: pod beta-0: ImagePullBackOff (image example.org/demo/beta:1.0)",
          }
        : c,
    ),
    checks: [
      { ...check("alpha", "passed"), needs: ["api"] },
      check("beta", "not-run", "beta is not ready"),
      check("gamma", "skipped", "pods are simulated"),
      { ...check("delta", "passed"), needs: ["api"] },
      { ...check("integration", "passed"), name: "endpoints-ready", needs: ["api"] },
    ],
    bundle: "bundle.tar.gz",
  };
}

async function writeRun(root: string, dir: string, r: E2eResults, bundle = false): Promise<void> {
  const abs = path.join(root, dir);
  await mkdir(abs, { recursive: true });
  await writeFile(path.join(abs, "results.json"), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(path.join(abs, "summary.md"), `# ${r.runId}\n`);
  if (bundle) await writeFile(path.join(abs, "bundle.tar.gz"), "not really a tarball\n");
}

async function git(root: string, ...args: string[]): Promise<void> {
  await run("git", ["-C", root, "-c", "user.name=t", "-c", "user.email=t@example.org", ...args]);
}

/** Builds the project: git history with v0.1.0, the 0.2.0 work tree, and every results file. */
export async function compatProject(): Promise<CompatProject> {
  const dir = await tempDir("compat");
  const root = dir.path;
  const text = await readFile(FIXTURE, "utf8");
  const old = text.replace("version: 0.2.0", "version: 0.1.0");
  await writeFile(path.join(root, "stack.yaml"), old);
  await git(root, "init", "-q", "-b", "main");
  await git(root, "add", "stack.yaml");
  await git(root, "commit", "-q", "-m", "Release v0.1.0");
  await git(root, "tag", "-a", "v0.1.0", "-m", "v0.1.0");
  await writeFile(path.join(root, "stack.yaml"), text);
  const digest = sha(text);
  const current = "e2e-results";
  await writeRun(
    root,
    `${current}/20261201T1000Z-kind-k1.34.13-a1`,
    results({ kube: "1.34.13", digest }),
  );
  await writeRun(root, `${current}/20261201T1100Z-kwok-k1.35.4-b2`, failedKwokRun(digest), true);
  // Ignored: the manifest changed since this run; a version without a tag; another chart.
  await writeRun(
    root,
    `${current}/stale`,
    results({ kube: "1.35.4", digest: sha(`${text}# edited\n`) }),
  );
  await writeRun(
    root,
    `${current}/untagged`,
    results({ kube: "1.35.4", digest, version: "0.1.5" }),
  );
  const other = results({ kube: "1.35.4", digest });
  await writeRun(root, `${current}/other`, {
    ...other,
    chart: { ...other.chart, name: "other-stack" },
  });
  const previous = "history/0.1.0";
  const prev = results({ kube: "1.34.13", digest: sha(old), version: "0.1.0" });
  await writeRun(root, `${previous}/kwok-k1.34.13`, {
    ...prev,
    tier: "control-plane",
    provider: { ...prev.provider, name: "kwok", runsContainers: false },
    checks: prev.checks.filter((c) => c.component === "integration"),
  });
  return { dir, root, current, previous, digest };
}
