/**
 * `shoppe matrix` without a browser: the Markdown for the README and the release notes, the
 * releases found from the results (the current one from the work tree, earlier ones from
 * their `v<version>` tags), the history read back from a published matrix, and the
 * directory's ownership.
 */
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixMarkdown } from "../../src/compat/matrix-markdown.js";
import type { MatrixCell, MatrixData } from "../../src/compat/matrix-model.js";
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

  it("publishes a run's own files, never what a link beside it points to", async () => {
    const secret = path.join(p.root, "secret.txt");
    await writeFile(secret, "not for the web\n");
    const src = path.join(p.root, p.current, "20261201T1000Z-kind-k1.34.13-a1");
    const linked = path.join(p.root, "linked-run");
    await mkdir(linked);
    await copyFile(path.join(src, "results.json"), path.join(linked, "results.json"));
    await symlink(secret, path.join(linked, "summary.md"));
    await symlink(secret, path.join(linked, "junit.xml"));
    const r = await runCli(["matrix", "linked-run", "-o", "m4"], p.root);
    expect(r.code).toBe(0);
    const run = "m4/runs/0.2.0/1.34.13-kind-run-1.34.13";
    expect(await readdir(path.join(p.root, run))).toEqual(["results.json"]);
    expect(await read("m4/index.html")).not.toContain("summary.md");
  });

  it("names the state of each run a cell lists when it is not the cell's", () => {
    const run = (tier: "cluster" | "control-plane", state: MatrixCell["state"]) => ({
      tier,
      state,
      provider: "kind",
      status: "passed",
      finishedAt: "2026-12-01T00:00:00.000Z",
      links: { results: `runs/${tier}/results.json` },
    });
    const cell: MatrixCell = {
      version: "1.35.4",
      state: "passing",
      tier: "control-plane",
      text: "passing at control-plane",
      reasons: [],
      standIns: [],
      runs: [run("cluster", "untested"), run("control-plane", "passing")],
    };
    const data: MatrixData = {
      name: "demo",
      ignored: [],
      releases: [
        {
          version: "0.2.0",
          current: true,
          digest: "sha256:0",
          kubernetes: ["1.35.4"],
          rows: [
            {
              id: "alpha",
              displayName: "Alpha",
              kind: "component",
              enabled: true,
              cells: [cell],
              overall: { state: "passing", text: "passing (control-plane)" },
            },
          ],
        },
      ],
    };
    expect(matrixMarkdown(data)).toContain(
      "| Alpha | passing at control-plane: [cluster: untested](runs/cluster/results.json), [control-plane](runs/control-plane/results.json) |",
    );
  });
});
