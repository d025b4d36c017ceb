/** The committed stack.yaml describes the real stack and passes validation. */
import { describe, expect, it } from "vitest";
import { loadStack } from "../../src/manifest/load.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";

describe("default stack.yaml", () => {
  it("validates through the CLI", async () => {
    const res = await runCli(["validate"], ROOT);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("stack.yaml is valid");
  });

  it("pins the five components at their real upstream coordinates", async () => {
    const { stack } = await loadStack(`${ROOT}/stack.yaml`);
    expect(Object.keys(stack.components).sort()).toEqual([
      "coffea-casa",
      "mlflow",
      "servicex",
      "triton",
      "xcache",
    ]);
    expect(stack.components["coffea-casa"]?.chart).toMatchObject({
      repository: "https://coffeateam.github.io/coffea-casa",
      name: "coffea-casa",
    });
    expect(stack.components.servicex?.chart).toMatchObject({
      repository: "https://ssl-hep.github.io/ssl-helm-charts/",
      name: "servicex",
    });
    expect(stack.components.mlflow?.chart).toMatchObject({
      repository: "https://community-charts.github.io/helm-charts",
      name: "mlflow",
    });
    expect(stack.components.xcache?.chart).toMatchObject({ path: "charts/xcache" });
    expect(stack.components.triton?.chart).toMatchObject({ path: "charts/triton" });
    for (const c of Object.values(stack.components)) {
      expect(c.images.length).toBeGreaterThan(0);
      expect(c.source.github).toMatch(/\//);
    }
  });
});

describe("committed umbrella chart", () => {
  it("equals a fresh render of the default stack.yaml (shoppe render --check)", async () => {
    const res = await runCli(["render", "--check"], ROOT);
    expect(res.stdout).toContain("charts/coffea-shoppe is up to date with stack.yaml");
    expect(res.code).toBe(0);
  });
});
