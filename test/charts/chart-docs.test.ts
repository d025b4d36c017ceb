/**
 * Chart metadata and documentation that must not drift: every value carries a `# --`
 * comment, each README's values table is the one generated from values.yaml, and Chart.yaml's
 * versions and Artifact Hub annotations agree with the values.
 *
 * To regenerate the README tables: SHOPPE_UPDATE_README=1 npx vitest run test/charts/chart-docs
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir } from "./harness.js";
import { documentValues, renderValuesTable, spliceTable } from "./values-doc.js";

const UPDATE = process.env.SHOPPE_UPDATE_README === "1";

interface ChartYaml {
  apiVersion: string;
  name: string;
  version: string;
  appVersion: string;
  kubeVersion: string;
  annotations: Record<string, string>;
}

describe("values-doc generator", () => {
  it("documents leaves, collapses documented maps and reports what is undocumented", () => {
    const doc = documentValues(
      [
        "# file header",
        "",
        "# -- The name.",
        "name: x",
        "image:",
        "  # -- The tag,",
        "  # over two lines.",
        "  tag: '1'",
        "  pullPolicy: Always",
        "# -- Resources as one value.",
        "resources:",
        "  limits: {memory: 1Gi}",
        "empty: {}",
      ].join("\n"),
    );
    expect(doc.rows).toEqual([
      { key: "name", type: "string", default: '"x"', description: "The name." },
      { key: "image.tag", type: "string", default: '"1"', description: "The tag, over two lines." },
      {
        key: "resources",
        type: "object",
        default: '{"limits":{"memory":"1Gi"}}',
        description: "Resources as one value.",
      },
    ]);
    expect(doc.undocumented).toEqual(["image.pullPolicy", "empty"]);
    expect(renderValuesTable(doc.rows)).toContain(
      '| `image.tag` | string | `"1"` | The tag, over two lines. |',
    );
  });
});

describe.each([["xcache"], ["triton"]] as const)("%s chart documentation", (name) => {
  const dir = chartDir(name);

  it("has a `# --` comment for every value", async () => {
    const doc = documentValues(await readFile(path.join(dir, "values.yaml"), "utf8"));
    expect(doc.undocumented).toEqual([]);
    expect(doc.rows.length).toBeGreaterThan(40);
  });

  it("has the generated values table in README.md", async () => {
    const readmePath = path.join(dir, "README.md");
    const readme = await readFile(readmePath, "utf8");
    const doc = documentValues(await readFile(path.join(dir, "values.yaml"), "utf8"));
    const expected = spliceTable(readme, renderValuesTable(doc.rows));
    if (UPDATE && expected !== readme) await writeFile(readmePath, expected);
    const actual = UPDATE ? expected : readme;
    expect(
      actual,
      "README values table is stale: run SHOPPE_UPDATE_README=1 npx vitest run test/charts/chart-docs",
    ).toBe(expected);
  });

  it("declares chart apiVersion v2, version 0.1.0 and an appVersion equal to the image tag", async () => {
    const chart = parse(await readFile(path.join(dir, "Chart.yaml"), "utf8")) as ChartYaml;
    const values = parse(await readFile(path.join(dir, "values.yaml"), "utf8"));
    expect(chart.apiVersion).toBe("v2");
    expect(chart.name).toBe(name);
    expect(chart.version).toBe("0.1.0");
    expect(chart.appVersion).toBe(values.image.tag);
    expect(chart.kubeVersion).toMatch(/^>=1\.\d+\.0-0$/);
  });

  it("has Artifact Hub license, links and an image list matching the values", async () => {
    const chart = parse(await readFile(path.join(dir, "Chart.yaml"), "utf8")) as ChartYaml;
    const values = parse(await readFile(path.join(dir, "values.yaml"), "utf8"));
    expect(chart.annotations["artifacthub.io/license"]).toBe("BSD-3-Clause");
    const links = parse(chart.annotations["artifacthub.io/links"] ?? "") as {
      name: string;
      url: string;
    }[];
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.url).toMatch(/^https:\/\//);
    const listed = (
      parse(chart.annotations["artifacthub.io/images"] ?? "") as { image: string }[]
    ).map((i) => i.image);
    const ref = (i: { repository: string; tag: string }) => `${i.repository}:${i.tag}`;
    const fromValues =
      name === "xcache"
        ? [ref(values.image)]
        : [
            ref(values.image),
            ref(values.modelRepository.initContainer.image),
            ref(values.tests.image),
          ];
    expect([...new Set(listed)].sort()).toEqual([...new Set(fromValues)].sort());
  });
});
