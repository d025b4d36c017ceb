/**
 * docs/maintainers.md, run as a maintainer would run it: in the release tests' project (a git
 * repository with a bare origin, tagged v0.1.0, a minor step of the XCache chart after it;
 * test/support/release-project.ts) with the shared upstream mirror standing for the chart
 * repositories (SHOPPE_MIRROR), every block in order: validate, plan, notes, the dry run and
 * the local cut (commit, tag, reproducible package), outdated and bump, the chart checks, an
 * e2e run on the kwok provider, and the badges and the matrix of its results.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { toolPath } from "../helpers/tools.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { describeWithUpstream } from "../support/upstream-mirror.js";
import { type BlockRun, type DocSandbox, docTests, shoppeShim } from "./doc-runner.js";

const TOOLS = [
  "helm",
  "helm3",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
];

describeWithUpstream("docs/maintainers.md, run", TOOLS, () => {
  let project: ReleaseProject;
  let home: TempDir;
  let sandbox: DocSandbox;
  const outputs: BlockRun[] = [];

  beforeAll(async () => {
    project = await createReleaseProject();
    home = await tempDir("maintainer-home");
    const bin = await shoppeShim(path.join(home.path, "bin"));
    const env = project.context().env;
    sandbox = {
      cwd: project.root,
      env: {
        ...Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("GIT_"))),
        PATH: `${bin}:${toolPath()}`,
        HOME: home.path,
        NO_COLOR: "1",
        SHOPPE_MIRROR: project.mirror,
      },
      replace: [],
    };
  }, 300_000);

  afterAll(async () => {
    await project?.close();
    await home?.remove();
  }, 120_000);

  docTests("docs/maintainers.md", () => sandbox, {
    timeoutMs: 400_000,
    check: (r) => void outputs.push(r),
  });

  it("cut v0.2.0 locally, ran e2e and wrote the badges and the matrix of that release", async () => {
    const said = (needle: string) => outputs.some((o) => o.output.includes(needle));
    expect(said("next version: 0.2.0 (tag v0.2.0)")).toBe(true);
    expect(said("v0.2.0")).toBe(true);
    const runs = await readdir(path.join(project.root, ".shoppe/e2e"));
    expect(runs.some((r) => r.includes("-kwok-"))).toBe(true);
    const badges = JSON.parse(
      await readFile(path.join(project.root, ".shoppe/badges/badges.json"), "utf8"),
    ) as { release: { version: string }; counted: string[] };
    expect(badges.release.version).toBe("0.2.0");
    expect(badges.counted.length).toBeGreaterThan(0);
    const md = await readFile(path.join(project.root, ".shoppe/matrix/matrix.md"), "utf8");
    expect(md).toContain("(this release)");
  });
});
