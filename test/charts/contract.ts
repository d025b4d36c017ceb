/**
 * What every first-party chart must do under each helm major, declared once for xcache and
 * triton: strict lint of every CI scenario; rendering of every scenario for every supported
 * Kubernetes version with only served APIs and the pod invariants; the Artifact Hub images
 * annotation equal to what the scenarios deploy; and refusing a Kubernetes older than its
 * kubeVersion.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { describeRemovedApi, findRemovedApis } from "../../src/kube/api-removals.js";
import type { HelmMajor } from "../../src/tools/helm.js";
import { KUBE_VERSIONS } from "../helpers/kube-versions.js";
import {
  type HelmHarness,
  helmFailure,
  imagesOf,
  invariantProblems,
  type Loose,
  openHarness,
  render,
} from "./harness.js";

/** Opens a harness for `major` before the enclosing suite and closes it after. */
export function useHarness(major: HelmMajor): () => HelmHarness {
  let h: HelmHarness | undefined;
  beforeAll(async () => {
    h = await openHarness(major);
  });
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error("the helm harness is not open yet");
    return h;
  };
}

/** The chart under test. */
export interface ChartUnderTest {
  chart: string;
  scenarios: string[];
  /** The workload kind every scenario must render. */
  workload: string;
  /** Extra API versions to report (e.g. a CRD the chart checks for). */
  apiVersions?: string[];
}

/** Registers the contract tests (inside a describe that owns `harness`). */
export function chartContract(harness: () => HelmHarness, c: ChartUnderTest): void {
  const cases = c.scenarios.map((f) => [path.basename(f), f]);
  const apiVersions = c.apiVersions ?? [];

  it.each(cases)("lints strictly with %s", async (_n, file) => {
    const report = await harness().helm.lint(c.chart, [file as string]);
    expect(report).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  describe.each(KUBE_VERSIONS.map((v) => [v]))("on Kubernetes %s", (kubeVersion) => {
    it.each(cases)("renders %s using only served APIs, unprivileged", async (_n, file) => {
      const objects = await render(harness().helm, c.chart, {
        valuesFiles: [file as string],
        kubeVersion,
        apiVersions,
      });
      expect(objects.map((o) => o.kind)).toContain(c.workload);
      expect(findRemovedApis(objects, kubeVersion).map(describeRemovedApi)).toEqual([]);
      expect(invariantProblems(objects)).toEqual([]);
    });
  });

  it("lists exactly the images its scenarios pull in artifacthub.io/images", async () => {
    const chart = parse(await readFile(path.join(c.chart, "Chart.yaml"), "utf8"));
    const listed = parse(chart.annotations["artifacthub.io/images"]).map((i: Loose) => i.image);
    const rendered = new Set<string>();
    for (const file of c.scenarios) {
      const objects = await render(harness().helm, c.chart, { valuesFiles: [file], apiVersions });
      for (const image of imagesOf(objects)) rendered.add(image);
    }
    expect([...rendered].sort()).toEqual([...new Set<string>(listed)].sort());
  });

  it("refuses a Kubernetes version below the chart's kubeVersion", async () => {
    const out = await helmFailure(() => render(harness().helm, c.chart, { kubeVersion: "1.26.0" }));
    expect(out).toMatch(/kubeVersion|incompatible/i);
  });
}
