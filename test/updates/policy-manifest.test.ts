/**
 * The update policy in stack.yaml: defaults when absent, strict keys, versions and ranges in
 * `ignore` checked with positions, and a policy on a first-party chart refused where it is
 * written (`shoppe validate`, exit 2).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadStack } from "../../src/manifest/load.js";
import { runCli } from "../helpers/cli.js";
import { type TempDir, tempDir } from "../support/temp.js";

const HEAD = `apiVersion: shoppe.coffea-casa.io/v1alpha1
release:
  name: demo
  version: 0.1.0
  description: d
kubernetes:
  versions:
    - version: 1.35.4
components:
  mlflow:
    displayName: MLflow
    description: tracking
    chart:
      repository: https://community-charts.github.io/helm-charts
      name: mlflow
      version: 1.11.5
    appVersion: 3.15.1
    source:
      github: community-charts/helm-charts
`;
const LOCAL = `  demo:
    displayName: Demo
    description: first-party
    chart:
      path: charts/demo
      name: demo
      version: 0.1.0
    appVersion: "1"
    source:
      github: example/demo
`;

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir("policy-manifest");
  await mkdir(path.join(dir.path, "charts", "demo"), { recursive: true });
  await writeFile(
    path.join(dir.path, "charts/demo/Chart.yaml"),
    "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
  );
});
afterEach(() => dir.remove());

const write = (text: string) => writeFile(path.join(dir.path, "stack.yaml"), text);

describe("updates in stack.yaml", () => {
  it("defaults to tracking minor releases without pre-releases", async () => {
    await write(HEAD);
    const { stack } = await loadStack(path.join(dir.path, "stack.yaml"));
    expect(stack.components.mlflow?.updates).toEqual({
      track: "minor",
      ignore: [],
      prereleases: false,
    });
  });

  it("takes a policy, ranges and versions in ignore", async () => {
    await write(
      `${HEAD}    updates:\n      track: patch\n      ignore: [1.11.6, ">=2.0.0", 4.x]\n      prereleases: true\n`,
    );
    const { stack } = await loadStack(path.join(dir.path, "stack.yaml"));
    expect(stack.components.mlflow?.updates).toEqual({
      track: "patch",
      ignore: ["1.11.6", ">=2.0.0", "4.x"],
      prereleases: true,
    });
  });

  it("refuses a bad level, a bad range and an unknown key, each at its position", async () => {
    await write(
      `${HEAD}    updates:\n      track: latest\n      ignore: ["not a range"]\n      prerelease: true\n`,
    );
    const r = await runCli(["validate"], dir.path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stack.yaml:21:14: components.mlflow.updates.track:");
    expect(r.stderr).toContain(
      'stack.yaml:22:16: components.mlflow.updates.ignore[0]: "not a range" is neither a version nor a SemVer range',
    );
    expect(r.stderr).toContain("stack.yaml:23:7: components.mlflow.updates");
  });

  it("refuses a policy on a first-party chart, which has no upstream releases", async () => {
    await write(`${HEAD}${LOCAL}    updates:\n      track: major\n`);
    const r = await runCli(["validate"], dir.path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "stack.yaml:31:7: components.demo.updates: charts/demo is a first-party chart, released from this repository: it has no upstream releases to track; remove updates",
    );
  });
});
