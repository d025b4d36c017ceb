/**
 * `shoppe matrix` without a browser: the Markdown for the README and the release notes, the
 * releases found from the results (the current one from the work tree, earlier ones from
 * their `v<version>` tags), the history read back from a published matrix, and the
 * directory's ownership.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixData } from "../../src/compat/matrix-model.js";
import { runCli } from "../helpers/cli.js";
import { type CompatProject, compatProject } from "./compat-project.js";

let p: CompatProject;
beforeAll(async () => {
  p = await compatProject();
});
afterAll(async () => p.dir.remove());

const read = (rel: string) => readFile(path.join(p.root, rel), "utf8");

describe("shoppe matrix", () => {
  it("writes the Markdown: history per Kubernetes minor, then a table per release", async () => {
    const r = await runCli(["matrix", p.current, p.previous, "-o", "m1"], p.root);
    expect(r.code).toBe(0);
    const md = await read("m1/matrix.md");
    expect(md).toContain(
      "| 0.2.0 (this release) | **failing at control-plane** | passing at cluster |\n| 0.1.0 | untested | passing at control-plane |",
    );
    expect(md).toContain(
      "| Beta | passing at cluster: [cluster](runs/0.2.0/1.34.13-kind-run-1.34.13/results.json) | **failing at control-plane**: [control-plane](runs/0.2.0/1.35.4-kwok-run-kwok-1.35.4/results.json) [bundle](runs/0.2.0/1.35.4-kwok-run-kwok-1.35.4/bundle.tar.gz) | failing (on 1.35 at control-plane) |",
    );
    expect(md).toContain("| Gamma | passing at cluster: ");
    expect(md).toMatch(
      /\| Gamma \| .* \| partial at control-plane: .* \| partial \(control-plane; incomplete on 1\.35\) \|/,
    );
    expect(md).toMatch(/\| Delta \| .* \| partial at control-plane \(stand-in\): /);
    expect(md).toContain("### demo-stack 0.1.0\n");
    expect(md).toContain(
      "- e2e-results/untagged/results.json: no tag v0.1.5 with a stack.yaml in this repository, so which manifest release 0.1.5 was cannot be checked",
    );
    expect(r.stdout).toContain(md.trimEnd());
    const data = JSON.parse(await read("m1/matrix.json")) as MatrixData;
    expect(data.releases.map((x) => [x.version, x.current])).toEqual([
      ["0.2.0", true],
      ["0.1.0", false],
    ]);
  });

  it("links under --link-base for a README, and reads its own published runs back as history", async () => {
    const base = "https://example.github.io/demo/matrix/";
    const r = await runCli(
      ["matrix", p.current, p.previous, "-o", "m2", "--link-base", base],
      p.root,
    );
    expect(r.code).toBe(0);
    const md = await read("m2/matrix.md");
    expect(md).toContain(`[cluster](${base}runs/0.2.0/1.34.13-kind-run-1.34.13/results.json)`);
    expect(md).not.toMatch(/\]\(runs\//);
    const before = JSON.parse(await read("m2/matrix.json")) as MatrixData;
    // The next publication reads the runs the last one published: the same matrix comes back.
    const again = await runCli(["matrix", "m2/runs", "-o", "m2", "--link-base", base], p.root);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const after = JSON.parse(await read("m2/matrix.json")) as MatrixData;
    expect(after.releases).toEqual(before.releases);
    expect(after.ignored).toEqual([]);
  });

  it("writes the same bytes twice, and refuses a directory it does not own", async () => {
    await runCli(["matrix", p.current, p.previous, "-o", "m3"], p.root);
    const first = await read("m3/index.html");
    await runCli(["matrix", p.current, p.previous, "-o", "m3"], p.root);
    expect(await read("m3/index.html")).toBe(first);
    await writeFile(path.join(p.root, "m3/CNAME"), "example.org\n");
    const refused = await runCli(["matrix", p.current, "-o", "m3"], p.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("CNAME is not listed in .shoppe-matrix.json");
  });
});
