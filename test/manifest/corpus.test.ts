/**
 * The manifest corpus: every invalid-*.yaml gives exit 2 and the expected diagnostic (line,
 * column, path and message), through the real CLI; every valid-*.yaml passes.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const DIR = path.resolve(import.meta.dirname, "../fixtures/manifests");

/** file → expected diagnostics: `line:col: path: message` prefixes, in order. */
const EXPECTED: Record<string, string[]> = {
  "invalid-alias-bomb": ["aliases expand too much"],
  "invalid-chart-version": ['17:16: components.mlflow.chart.version: "1.x" is not a valid version'],
  "invalid-comments-only": ["1:1: expected a YAML mapping, found no content"],
  "invalid-component-id-global": ['30:5: components.global: "global" is reserved by Helm'],
  "invalid-component-id": ['30:5: components.Demo_Chart: "Demo_Chart" is not a valid component id'],
  "invalid-dependency-cycle": [
    "39:16: components.demo.dependsOn: dependency cycle: demo → mlflow → demo",
  ],
  "invalid-depends-on-disabled": [
    '39:17: components.demo.dependsOn[0]: "demo" is enabled but depends on "mlflow", which is disabled',
  ],
  "invalid-depends-on-unknown": [
    '38:25: components.demo.dependsOn[1]: unknown component "servicex" (known: mlflow, demo)',
  ],
  "invalid-digest": ['23:17: components.mlflow.images[0].digest: "sha256:abc123" is not a digest'],
  "invalid-duplicate-image": [
    '23:15: components.mlflow.images[1].name: duplicate image "server" (also images[0])',
  ],
  "invalid-duplicate-key": ['5:3: duplicate key "version"'],
  "invalid-empty": ["1:1: expected a YAML mapping, found no content"],
  "invalid-enabled-type": ['32:14: components.demo.enabled: must be a boolean, got "yes"'],
  "invalid-enabled-without-chart": ["30:5: components.demo: component is enabled but has no chart"],
  "invalid-endpoint-env-duplicate": [
    "41:14: components.demo.endpoints[0].env: MLFLOW_TRACKING_URI is already exported by mlflow.tracking",
  ],
  "invalid-endpoint-env": [
    '25:14: components.mlflow.endpoints[0].env: "mlflow-uri" is not an environment variable name',
  ],
  "invalid-endpoint-placeholder": [
    "26:14: components.mlflow.endpoints[0].url: unknown placeholder {ns}",
  ],
  "invalid-http-repository": [
    '15:19: components.mlflow.chart.repository: "http://charts.example.org/helm" must be an https:// or oci:// URL',
  ],
  "invalid-images-not-list": [
    '19:13: components.mlflow.images: must be a list, got "burakince/mlflow:3.15.1"',
  ],
  "invalid-kind-node-image": [
    '10:22: kubernetes.versions[1].kindNodeImage: "kindest/node:v1.35.4" must be kindest/node:v<version>@sha256:<digest>',
  ],
  "invalid-kube-version-duplicate": [
    "10:16: kubernetes.versions[2].version: Kubernetes 1.35 is listed twice (also versions[1])",
  ],
  "invalid-kube-version-format": [
    '9:16: kubernetes.versions[1].version: "v1.35" is not a Kubernetes version',
  ],
  "invalid-kube-versions-empty": [
    "7:13: kubernetes.versions: must list at least one Kubernetes version",
  ],
  "invalid-local-chart-missing": ["34:13: components.demo.chart.path: no chart at charts/nowhere"],
  "invalid-local-chart-version": [
    '36:16: components.demo.chart.version: "0.3.0" does not match the version "0.2.0" in charts/demo/Chart.yaml',
  ],
  "invalid-many-errors": [
    '4:12: release.version: "1.x" is not a valid version',
    '9:16: kubernetes.versions[1].version: "1.35" is not a Kubernetes version',
    '22:14: components.mlflow.images[0].tag: "latest" is a moving tag',
    '23:17: components.mlflow.images[0].digest: "sha256:xyz" is not a digest',
  ],
  "invalid-missing-api-version": ["1:1: apiVersion: is required"],
  "invalid-missing-chart-name": ["15:7: components.mlflow.chart.name: is required"],
  "invalid-moving-tag": [
    '22:14: components.mlflow.images[0].tag: "latest" is a moving tag; pin a release tag',
  ],
  "invalid-not-utf8": ["5:35: byte 0xe9 at offset 122 is not valid UTF-8"],
  "invalid-profile-name": ['43:5: profiles.CI_Small: "CI_Small" is not a valid profile name'],
  "invalid-release-version": ['4:12: release.version: "1.x" is not a valid version'],
  "invalid-top-level-list": ["1:1: the document must be a mapping"],
  "invalid-unknown-component-key": [
    '19:5: components.mlflow.chartVersion: unknown key "chartVersion"',
  ],
  "invalid-unknown-top-level-key": ['44:1: extras: unknown key "extras"'],
  "invalid-wrong-api-version": ['1:13: apiVersion: must be "shoppe.coffea-casa.io/v1alpha1"'],
  "invalid-yaml-syntax": ["4:3: Flow sequence in block collection must be sufficiently indented"],
};

const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));
const invalid = files.filter((f) => f.startsWith("invalid-")).sort();

describe("manifest corpus", () => {
  it("has an expectation for every invalid manifest and at least 25 of them", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(25);
    expect(invalid.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(
      Object.keys(EXPECTED).sort(),
    );
  });

  it.each(invalid)("%s exits 2 with the expected diagnostics", async (file) => {
    const res = await runCli(["validate", file], DIR);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    const expected = EXPECTED[file.replace(/\.yaml$/, "")] ?? [];
    const lines = res.stderr.split("\n").map((l) => l.trim());
    let from = 0;
    for (const want of expected) {
      // Parse-level messages that have no position are in the headline.
      const needle = /^\d+:\d+: /.test(want) ? `${file}:${want}` : want;
      const idx = lines.findIndex((l, i) => i >= from && l.includes(needle));
      expect(idx, `missing "${needle}" in:\n${res.stderr}`).toBeGreaterThanOrEqual(0);
      from = idx + 1;
    }
  });

  it.each(files.filter((f) => f.startsWith("valid-")))("%s is valid", async (file) => {
    const res = await runCli(["validate", file], DIR);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${file} is valid`);
  });

  it("reports diagnostics as data with --json", async () => {
    const res = await runCli(["--json", "validate", "invalid-many-errors.yaml"], DIR);
    expect(res.code).toBe(2);
    const out = JSON.parse(res.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics).toHaveLength(4);
    expect(out.diagnostics[0]).toEqual({
      position: { file: "invalid-many-errors.yaml", line: 4, col: 12 },
      path: "release.version",
      message: '"1.x" is not a valid version',
    });
  });

  it("rejects a missing file and a directory with exit 2", async () => {
    const missing = await runCli(["validate", "no-such-stack.yaml"], DIR);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("failed to read no-such-stack.yaml: no such file");
    const dir = await runCli(["validate", "charts"], DIR);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain("failed to read charts: it is a directory, not a file");
  });
});
