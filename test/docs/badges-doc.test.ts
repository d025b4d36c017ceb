/**
 * docs/badges.md, run: its `shoppe badge` and `shoppe matrix` commands on the badge tests'
 * project (test/compat/compat-project.ts), whose results stand where the page says they are.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type CompatProject, compatProject } from "../compat/compat-project.js";
import { toolPath } from "../helpers/tools.js";
import { type DocSandbox, docTests, shoppeShim } from "./doc-runner.js";

let p: CompatProject;
let sandbox: DocSandbox;
beforeAll(async () => {
  p = await compatProject();
  const bin = await shoppeShim(path.join(p.root, ".bin"));
  sandbox = {
    cwd: p.root,
    env: { PATH: `${bin}:${toolPath()}`, HOME: p.root, NO_COLOR: "1" },
    // The page's results directory and a published matrix's runs: the project's.
    replace: [
      [".shoppe/e2e ", `${p.current} `],
      ["published/runs", p.previous],
    ],
  };
});
afterAll(async () => p?.dir.remove());

docTests("docs/badges.md", () => sandbox);

it("wrote what the page says", async () => {
  const stack = JSON.parse(
    await readFile(path.join(p.root, ".shoppe/badges/demo-stack.json"), "utf8"),
  );
  expect(Object.keys(stack)).toEqual(["schemaVersion", "label", "message", "color"]);
  const md = await readFile(path.join(p.root, "site/matrix.md"), "utf8");
  expect(md).toContain("https://coffeateam.github.io/coffea-shoppe/runs/0.1.0/");
});
