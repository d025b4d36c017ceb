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
  "invalid-app-version-newline": [
    '18:17: components.mlflow.appVersion: "3.15.1\\nfixed" must be one line of text',
  ],
  "invalid-chart-name": ['16:13: components.mlflow.chart.name: "../mlflow" is not a chart name'],
  "invalid-chart-version-leading-v": [
    '17:16: components.mlflow.chart.version: "v1.11.5" is not a valid version',
  ],
  "invalid-chart-version-too-large": [
    '17:16: components.mlflow.chart.version: "1.99999999999999999999.5" is not a valid version (a number is too large)',
  ],
  "invalid-control-character": [
    '13:18: components.mlflow.description: "Experiment\\u0000tracking" contains the control character U+0000',
  ],
  "invalid-depends-on-prototype-name": [
    '38:25: components.demo.dependsOn[1]: unknown component "constructor" (known: mlflow, demo)',
  ],
  "invalid-display-name-newline": [
    '12:18: components.mlflow.displayName: "MLflow\\n{{ .Release.Name }}" must be one line of text',
  ],
  "invalid-endpoint-env-in-values": [
    "41:30: components.demo.values.env.MLFLOW_TRACKING_URI: MLFLOW_TRACKING_URI is set by the endpoint wiring",
  ],
  "invalid-endpoint-port-range": [
    '26:14: components.mlflow.endpoints[0].url: "http://mlflow.{namespace}.svc:65536" has port 65536, outside 1-65535',
  ],
  "invalid-endpoint-port-zero": [
    '26:14: components.mlflow.endpoints[0].url: "http://mlflow.{namespace}.svc:0" has port 0, outside 1-65535',
  ],
  "invalid-endpoint-unclosed-placeholder": [
    '26:14: components.mlflow.endpoints[0].url: "http://mlflow.{namespace.svc:80" has an unclosed {',
  ],
  "invalid-endpoint-url-no-host": [
    '26:14: components.mlflow.endpoints[0].url: "http://:80/api" has no host',
  ],
  "invalid-github-source": [
    '40:15: components.demo.source.github: "-example/.." is not a GitHub owner/repo',
  ],
  "invalid-home-whitespace": ['6:9: release.home: "https://example.org/a b" contains whitespace'],
  "invalid-image-repository": [
    '21:21: components.mlflow.images[0].repository: "Burakince/MLflow:3.15.1" is not an image repository',
  ],
  "invalid-image-tag": ['22:14: components.mlflow.images[0].tag: ".3.15.1" is not a valid tag'],
  "invalid-kube-version-leading-zero": [
    '9:16: kubernetes.versions[1].version: "1.034.1" is not a Kubernetes version',
  ],
  "invalid-line-separator": [
    '24:15: components.mlflow.values.banner: "first\\u2028second" contains U+2028, which YAML 1.1 readers such as helm treat as a line break',
  ],
  "invalid-local-chart-absolute": ['34:13: components.demo.chart.path: "/etc/demo" is absolute'],
  "invalid-local-chart-outside": [
    '34:13: components.demo.chart.path: "charts/../../demo" leaves the project (..)',
  ],
  "invalid-maintainer-email": [
    '8:14: release.maintainers[0].email: "team@@example" is not an e-mail address',
  ],
  "invalid-maintainer-url": [
    '8:12: release.maintainers[0].url: "example.org/team" must be an http(s):// URL',
  ],
  "invalid-merge-values-key": [
    '27:9: components.mlflow.values.service.<<: "<<" cannot be a key: YAML 1.1 readers such as helm take it for a merge',
  ],
  "invalid-profile-prototype-key": [
    '46:9: profiles.ci.values.toString: profile "ci": unknown key "toString" (known here: global, shoppe, components, mlflow, demo)',
    '48:18: profiles.ci.values.mlflow.enabled: profile "ci": "mlflow.enabled" would be handed to the component\'s chart; the switch is components.mlflow.enabled',
    '51:20: profiles.ci.values.components.demo.enabled: profile "ci": must be boolean, got "no"',
  ],
  "invalid-proto-values-key": [
    '25:9: components.mlflow.values.service.__proto__: "__proto__" cannot be a key',
  ],
  "invalid-release-name-long": [
    '3:9: release.name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a lowercase DNS label of at most 53 characters',
  ],
  "invalid-release-version-build": [
    '4:12: release.version: "1.0.0+build.7" becomes the label app.kubernetes.io/version',
  ],
  "invalid-repository-newline": [
    '15:19: components.mlflow.chart.repository: "https://community-charts.github.io/helm-charts\\nhelm repo add evil',
  ],
  "invalid-repository-no-host": [
    '15:19: components.mlflow.chart.repository: "https:///helm-charts" has no host',
  ],
  "invalid-value-path-empty-segment": [
    '41:16: components.demo.consumes[0].value: "tracking..uri" is not a dotted values path',
  ],
  "invalid-wired-path-below-scalar": [
    '43:16: components.demo.consumes[0].value: tracking.uri needs values.tracking to be a mapping, but it holds "off"',
  ],
  "invalid-wired-paths-nest": [
    "43:18: components.demo.endpointEnv: env and env.TRACKING are both wired and one holds the other",
  ],
  "invalid-wired-switch": [
    "41:16: components.demo.consumes[0].value: enabled would set demo.enabled, which the umbrella refuses",
  ],
  "invalid-alias-bomb": ["aliases expand too much"],
  "invalid-alias-cycle": ["20:14: alias *v is inside the node it names, which makes a cycle"],
  "invalid-chart-version": ['17:16: components.mlflow.chart.version: "1.x" is not a valid version'],
  "invalid-comments-only": ["1:1: expected a YAML mapping, found no content"],
  "invalid-component-id-global": ['30:5: components.global: "global" is reserved by Helm'],
  "invalid-component-id": ['30:5: components.Demo_Chart: "Demo_Chart" is not a valid component id'],
  "invalid-deep-nesting": [
    "81:129: mappings and lists nest deeper than 64 levels here; flatten the document",
  ],
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
  "invalid-kind-node-image-version": [
    "10:22: kubernetes.versions[1].kindNodeImage: node image is for v1.35.3 but the entry is for 1.35.4",
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
  "invalid-utf8-overlong": [
    "5:26: byte 0xc0 at offset 114 is not valid UTF-8: an overlong encoding",
  ],
  "invalid-utf8-past-max": [
    "5:26: byte 0xf4 at offset 114 is not valid UTF-8: a code point past U+10FFFF",
  ],
  "invalid-utf8-surrogate": [
    "5:26: byte 0xed at offset 114 is not valid UTF-8: an encoded UTF-16 surrogate",
  ],
  "invalid-utf8-truncated": [
    "44:11: byte 0xf0 at offset 973 is not valid UTF-8: the file ends inside a multi-byte character",
  ],
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
      message:
        '"1.x" is not a valid version (SemVer MAJOR.MINOR.PATCH[-pre][+build], no leading v or zeros)',
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
