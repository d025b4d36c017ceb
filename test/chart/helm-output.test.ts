/**
 * Helm's error and lint output (recorded from Helm 4.3 and 3.22) mapped to components, and the
 * argv the Helm wrapper composes, checked with a recording runner: no helm binary needed.
 */
import { describe, expect, it } from "vitest";
import type { Runner, RunOptions } from "../../src/exec/runner.js";
import { classifyHelmFailure, parseSchemaViolations } from "../../src/helm/failures.js";
import { parseLintReport } from "../../src/helm/lint-report.js";
import { type ChartSource, chartSources, httpRepositories } from "../../src/helm/repositories.js";
import type { Stack } from "../../src/manifest/schema.js";
import { Helm } from "../../src/tools/helm.js";

const sources: ChartSource[] = [
  {
    component: "coffea-casa",
    kind: "http",
    chart: "coffea-casa",
    version: "2026.1008.3",
    location: "http://127.0.0.1:4000",
    enabled: true,
  },
  {
    component: "servicex",
    kind: "http",
    chart: "servicex",
    version: "1.5.3",
    location: "http://127.0.0.1:4000/",
    enabled: true,
  },
  {
    component: "tracking",
    kind: "oci",
    chart: "mlflow",
    version: "1.11.5",
    location: "oci://127.0.0.1:5000/charts",
    registry: "127.0.0.1:5000",
    enabled: true,
  },
  {
    component: "xcache",
    kind: "local",
    chart: "xcache",
    version: "0.1.0",
    location: "charts/xcache",
    enabled: true,
  },
];

describe("classifyHelmFailure", () => {
  it("reads a missing chart version from an HTTP repository", () => {
    const f = classifyHelmFailure(
      'Update Complete.\nError: can\'t get a valid version for 1 subchart(s): "servicex" (repository "http://127.0.0.1:4000", version "9.9.9"). Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml\n',
      sources,
    );
    expect(f.kind).toBe("version-missing");
    expect(f.components).toEqual(["servicex"]);
    expect(f.summary).toMatch(/^can't get a valid version/);
  });

  it("reads a missing chart version from an OCI registry, where the alias differs from the chart", () => {
    const f = classifyHelmFailure(
      'Error: could not download oci://127.0.0.1:5000/charts/mlflow: failed to perform "FetchReference" on source: 127.0.0.1:5000/charts/mlflow:9.9.9: not found',
      sources,
    );
    expect(f).toMatchObject({ kind: "version-missing", components: ["tracking"] });
  });

  it("reads an unreachable registry and an unreachable repository", () => {
    const oci = classifyHelmFailure(
      'Error: could not download oci://127.0.0.1:5000/charts/mlflow: failed to perform "FetchReference" on source: Get "http://127.0.0.1:5000/v2/charts/mlflow/manifests/1.11.5": dial tcp 127.0.0.1:5000: connect: connection refused',
      sources,
    );
    expect(oci).toMatchObject({ kind: "registry-unreachable", components: ["tracking"] });
    const tgz = classifyHelmFailure(
      'Error: could not download http://127.0.0.1:4000/coffea-casa-2026.1008.3.tgz: Get "http://127.0.0.1:4000/coffea-casa-2026.1008.3.tgz": dial tcp 127.0.0.1:4000: connect: connection refused',
      sources,
    );
    expect(tgz).toMatchObject({ kind: "repository-unreachable", components: ["coffea-casa"] });
    const add = classifyHelmFailure(
      'Error: looks like "http://127.0.0.1:4000" is not a valid chart repository or cannot be reached: Get "http://127.0.0.1:4000/index.yaml": dial tcp 127.0.0.1:4000: connect: connection refused',
      sources,
    );
    expect(add).toMatchObject({
      kind: "repository-unreachable",
      components: ["coffea-casa", "servicex"],
    });
  });

  it("reads a registry that wants plain HTTP (Helm 4 without --plain-http)", () => {
    const f = classifyHelmFailure(
      'Error: could not download oci://127.0.0.1:5000/charts/mlflow: failed to perform "FetchReference" on source: Get "https://127.0.0.1:5000/v2/charts/mlflow/manifests/1.11.5": http: server gave HTTP response to HTTPS client',
      sources,
    );
    expect(f).toMatchObject({ kind: "plain-http-needed", components: ["tracking"] });
  });

  it("reads schema violations in the Helm 4 and the older Helm 3 wording", () => {
    const v4 =
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmlflow:\n- at '/replicaCount': minimum: got -1, want 0\n- at '/service/port': got string, want integer\n";
    expect(parseSchemaViolations(v4)).toEqual([
      { chart: "mlflow", pointer: "/replicaCount", message: "minimum: got -1, want 0" },
      { chart: "mlflow", pointer: "/service/port", message: "got string, want integer" },
    ]);
    expect(classifyHelmFailure(v4, sources)).toMatchObject({
      kind: "schema",
      components: ["tracking"],
    });
    const v3 =
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nservicex:\n- app.replicas: Invalid type. Expected: integer, given: string\n- (root): Additional property foo is not allowed\n";
    expect(parseSchemaViolations(v3)).toEqual([
      {
        chart: "servicex",
        pointer: "/app/replicas",
        message: "Invalid type. Expected: integer, given: string",
      },
      { chart: "servicex", pointer: "", message: "Additional property foo is not allowed" },
    ]);
  });

  it("reads unbuilt dependencies and a stale lock", () => {
    const missing = classifyHelmFailure(
      "Error: found in Chart.yaml, but missing in charts/ directory: coffea-casa, tracking",
      sources,
    );
    expect(missing).toMatchObject({
      kind: "dependencies-missing",
      components: ["coffea-casa", "tracking"],
    });
    const stale = classifyHelmFailure(
      "Error: the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies",
      sources,
    );
    expect(stale.kind).toBe("lock-stale");
  });

  it("leaves what it cannot read as unknown", () => {
    expect(classifyHelmFailure("Error: something else", sources)).toMatchObject({
      kind: "unknown",
      components: [],
    });
  });
});

describe("parseLintReport", () => {
  it("splits findings and ties a schema error to its component", () => {
    const out = [
      "==> Linting /tmp/c",
      "[INFO] Chart.yaml: icon is recommended",
      "[ERROR] templates/: values don't meet the specifications of the schema(s) in the following chart(s):",
      "mlflow:",
      "- at '/service/port': got string, want integer",
      "",
      "Error: 1 chart(s) linted, 1 chart(s) failed",
    ].join("\n");
    const findings = parseLintReport(out, sources);
    expect(findings.map((f) => [f.severity, f.components])).toEqual([
      ["INFO", []],
      ["ERROR", ["tracking"]],
    ]);
    expect(findings[1]?.message).toContain("- at '/service/port'");
  });
});

describe("repositories from stack.yaml", () => {
  it("adds each HTTP repository once, named after its first component; OCI and local need none", () => {
    const stack = {
      components: {
        a: {
          enabled: true,
          chart: { repository: "https://x.example/charts", name: "a", version: "1.0.0" },
        },
        b: {
          enabled: false,
          chart: { repository: "https://x.example/charts/", name: "b", version: "2.0.0" },
        },
        c: {
          enabled: true,
          chart: { repository: "oci://ghcr.io/o/charts", name: "c", version: "3.0.0" },
        },
        d: { enabled: true, chart: { path: "charts/d", name: "d", version: "0.1.0" } },
        e: { enabled: true },
      },
    } as unknown as Stack;
    const s = chartSources(stack);
    expect(s.map((x) => [x.component, x.kind, x.registry])).toEqual([
      ["a", "http", undefined],
      ["b", "http", undefined],
      ["c", "oci", "ghcr.io"],
      ["d", "local", undefined],
    ]);
    expect(httpRepositories(s)).toEqual([
      { name: "shoppe-a", url: "https://x.example/charts", components: ["a", "b"] },
    ]);
  });
});

class RecordingRunner implements Runner {
  readonly calls: { args: readonly string[]; options: RunOptions | undefined }[] = [];
  async run(_file: string, args: readonly string[], options?: RunOptions) {
    this.calls.push({ args, options });
    return { stdout: "", stderr: "", durationMs: 0 };
  }
}

describe("Helm argv", () => {
  const runner = new RecordingRunner();
  const helm = new Helm(runner, "/bin/helm", { HELM_CACHE_HOME: "/h" });

  it("composes dependency, registry, pull and show chart calls", async () => {
    await helm.dependency("build", "/c", { plainHttp: true, skipRefresh: true });
    await helm.registryLogin("127.0.0.1:5000", { username: "u", password: "p", plainHttp: true });
    await helm.pull("oci://r/charts/mlflow", {
      version: "1.11.5",
      destination: "/d",
      plainHttp: true,
      untar: true,
    });
    await helm.showChart("oci://r/charts/mlflow", { version: "1.11.5", insecure: true });
    await helm.repoUpdate(["shoppe-a"]);
    expect(runner.calls.map((c) => c.args)).toEqual([
      ["dependency", "build", "/c", "--plain-http", "--skip-refresh"],
      [
        "registry",
        "login",
        "127.0.0.1:5000",
        "--username",
        "u",
        "--password-stdin",
        "--plain-http",
      ],
      [
        "pull",
        "oci://r/charts/mlflow",
        "--destination",
        "/d",
        "--plain-http",
        "--version",
        "1.11.5",
        "--untar",
      ],
      [
        "show",
        "chart",
        "oci://r/charts/mlflow",
        "--insecure-skip-tls-verify",
        "--version",
        "1.11.5",
      ],
      ["repo", "update", "shoppe-a"],
    ]);
    // The password goes to stdin, never into the command line; the private home is passed on.
    expect(runner.calls[1]?.options?.input).toBe("p");
    expect(runner.calls[0]?.options?.env?.HELM_CACHE_HOME).toBe("/h");
  });
});
