/**
 * The example release under docs/examples/ is real output: the scenario is rebuilt here (a
 * v0.1.0 release of the real stack with Coffea-Casa at its 2026.06.25.2 tag and MLflow's chart
 * at 1.11.4, then both moved on), the notes and the announcement rendered offline with the
 * shared mirror's git history, and compared with the committed files. SHOPPE_UPDATE_EXAMPLE=1
 * writes them instead.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { releaseNotes } from "../../src/actions/release.js";
import { render } from "../../src/actions/render.js";
import { createContext } from "../../src/context.js";
import { Redactor } from "../../src/exec/redact.js";
import { ExecaRunner } from "../../src/exec/runner.js";
import { ROOT, toolPath } from "../helpers/tools.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const EXAMPLES = path.join(ROOT, "docs", "examples");
const HEADER = (what: string) =>
  `<!-- Example ${what}, rendered by \`shoppe release notes --offline --mirror ../shared/upstream\` (test/release/example.test.ts; docs/examples/README.md says how). -->\n\n`;

describeWithUpstream("the example release in docs/examples", ["git"], () => {
  let dir: TempDir;
  let root: string;
  beforeAll(async () => {
    dir = await tempDir("example");
    root = dir.path;
    const env = {
      ...process.env,
      PATH: toolPath(),
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@example.org",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@example.org",
    };
    const ctx = createContext({ root, env });
    const runner = new ExecaRunner(new Redactor());
    const git = (...args: string[]) => runner.run("git", args, { cwd: root, env });
    for (const c of ["xcache", "triton"])
      await cp(path.join(ROOT, "charts", c), path.join(root, "charts", c), { recursive: true });
    await writeFile(path.join(root, ".gitignore"), ".shoppe/\n");
    const real = await readFile(path.join(ROOT, "stack.yaml"), "utf8");
    const at = (casaChart: string, casaTag: string, mlflow: string) =>
      real
        .replace("version: 2026.1008.3", `version: ${casaChart}`)
        .replaceAll("2026.10.08.3", casaTag)
        .replace("version: 1.11.5", `version: ${mlflow}`);
    await writeFile(path.join(root, "stack.yaml"), at("2026.625.2", "2026.06.25.2", "1.11.4"));
    await render(ctx, {});
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git("commit", "-qm", "Release v0.1.0");
    await git("tag", "-a", "v0.1.0", "-m", "coffea-shoppe 0.1.0");
    await writeFile(path.join(root, "stack.yaml"), at("2026.812.2", "2026.08.12.2", "1.11.5"));
    await render(ctx, {});
    await git("commit", "-qam", "Coffea-Casa 2026.08.12.2, MLflow chart 1.11.5");
  }, 60_000);
  afterAll(async () => dir?.remove());

  it("is what shoppe release notes renders for the scenario", async () => {
    const ctx = createContext({
      root,
      env: { PATH: toolPath() },
      now: () => new Date("2026-12-01T12:00:00Z"),
    });
    const r = await releaseNotes(ctx, { offline: true, mirror: UPSTREAM_SOURCE });
    expect(r.version).toBe("0.2.0");
    const files = {
      "release-notes.md": HEADER("release notes") + r.notes,
      "announcement.md": HEADER("announcement") + r.announcement,
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(EXAMPLES, name);
      if (process.env.SHOPPE_UPDATE_EXAMPLE === "1") await writeFile(file, text);
      expect(await readFile(file, "utf8"), `${name} (SHOPPE_UPDATE_EXAMPLE=1 rewrites it)`).toBe(
        text,
      );
    }
    expect(r.notes).toContain(
      "Pin docker version ([\\#503](https://github.com/CoffeaTeam/coffea-casa/pull/503))",
    );
  }, 60_000);
});
