/**
 * A project with a release history, for the release tests: a real git repository in a temp
 * dir whose `origin` is a bare repository beside it (pushes, gh-pages), holding the real
 * stack.yaml cut down to the first-party charts (XCache, Triton) and ServiceX 1.5.3 from the
 * shared upstream mirror (a real archive, not a substitute), rendered, committed and tagged
 * `v0.1.0`; then the XCache chart takes a minor step (0.1.0 → 0.2.0) in a second commit.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { render } from "../../src/actions/render.js";
import { type Context, createContext } from "../../src/context.js";
import { Redactor } from "../../src/exec/redact.js";
import { ExecaRunner } from "../../src/exec/runner.js";
import { type Logger, type Progress, RecordingLogger } from "../../src/log.js";
import { Git } from "../../src/tools/git.js";
import { ROOT, toolPath } from "../helpers/tools.js";
import { type TempDir, tempDir } from "./temp.js";
import { UPSTREAM_SOURCE, upstreamMissing } from "./upstream-mirror.js";

/** A release project and its remote. */
export interface ReleaseProject {
  root: string;
  origin: string;
  git: Git;
  /** The shared upstream mirror, when ServiceX comes from it. */
  mirror?: string;
  /** Logger and progress lines of every context made by `context`. */
  logger: RecordingLogger;
  progressLines: string[];
  context(env?: NodeJS.ProcessEnv, now?: Date): Context;
  close(): Promise<void>;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: "Release Tester",
  GIT_AUTHOR_EMAIL: "release@example.org",
  GIT_COMMITTER_NAME: "Release Tester",
  GIT_COMMITTER_EMAIL: "release@example.org",
};

/** The stack of the test project: `edit` changes a copy. */
async function stackDoc(withServicex: boolean) {
  // biome-ignore lint/suspicious/noExplicitAny: a YAML document under construction.
  const doc: any = parse(await readFile(path.join(ROOT, "stack.yaml"), "utf8"));
  const keep = ["xcache", "triton", ...(withServicex ? ["servicex"] : [])];
  for (const id of Object.keys(doc.components)) if (!keep.includes(id)) delete doc.components[id];
  for (const p of Object.values(doc.profiles) as { values: Record<string, unknown> }[]) {
    for (const id of Object.keys(p.values)) if (!keep.includes(id)) delete p.values[id];
  }
  return doc;
}

/** Creates the project with tag v0.1.0 and the XCache minor step after it. */
export async function createReleaseProject(): Promise<ReleaseProject> {
  const dir: TempDir = await tempDir("release");
  const root = path.join(dir.path, "project");
  const origin = path.join(dir.path, "origin.git");
  const mirror = upstreamMissing() ? undefined : UPSTREAM_SOURCE;
  const logger = new RecordingLogger();
  const progressLines: string[] = [];
  const progress: Progress = {
    start: (title) => {
      progressLines.push(title);
      return {
        succeed: (d) => progressLines.push(`ok ${title}: ${d ?? ""}`),
        fail: (d) => progressLines.push(`failed ${title}: ${d ?? ""}`),
      };
    },
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...IDENTITY, PATH: toolPath() };
  delete env.GITHUB_TOKEN;
  delete env.GITHUB_REPOSITORY;
  const context = (
    extra: NodeJS.ProcessEnv = {},
    now = new Date("2026-12-01T12:00:00Z"),
  ): Context => {
    const e = { ...env, ...extra };
    const redactor = Redactor.fromEnv(e);
    return createContext({
      root,
      env: e,
      redactor,
      runner: new ExecaRunner(redactor),
      logger: logger as Logger,
      progress,
      now: () => now,
    });
  };
  const runner = new ExecaRunner(new Redactor());
  const sh = (args: string[], cwd = root) => runner.run("git", args, { cwd, env: { ...env } });
  await sh(["init", "--quiet", "--bare", origin], dir.path);
  await cp(path.join(ROOT, "charts", "xcache"), path.join(root, "charts", "xcache"), {
    recursive: true,
  });
  await cp(path.join(ROOT, "charts", "triton"), path.join(root, "charts", "triton"), {
    recursive: true,
  });
  await writeFile(
    path.join(root, ".gitignore"),
    ".shoppe/\n.tools/\n*.tgz\ncharts/*/charts/\ncharts/*/Chart.lock\ncharts/*/.shoppe-deps.json\n",
  );
  const doc = await stackDoc(Boolean(mirror));
  const header = "# The test stack: comments like this one must survive release cut.\n";
  await writeFile(path.join(root, "stack.yaml"), header + stringify(doc));
  await render(context(), {});
  await sh(["init", "--quiet", "-b", "main"]);
  await sh(["add", "-A"]);
  await sh(["commit", "--quiet", "-m", "Release v0.1.0"]);
  await sh(["tag", "-a", "v0.1.0", "-m", "coffea-shoppe 0.1.0"]);
  await sh(["remote", "add", "origin", origin]);
  await sh(["push", "--quiet", "origin", "main", "v0.1.0"]);
  // The minor step: the first-party XCache chart 0.1.0 → 0.2.0.
  const chartYaml = path.join(root, "charts", "xcache", "Chart.yaml");
  await writeFile(
    chartYaml,
    (await readFile(chartYaml, "utf8")).replace(/^version: 0\.1\.0$/m, "version: 0.2.0"),
  );
  const stackFile = path.join(root, "stack.yaml");
  const text = await readFile(stackFile, "utf8");
  await writeFile(stackFile, text.replace(/(xcache:\n(?:.*\n)*?\s+version: )0\.1\.0/, "$10.2.0"));
  await render(context(), {});
  await sh(["commit", "--quiet", "-am", "XCache chart 0.2.0: cache sizes per profile"]);
  return {
    root,
    origin,
    git: new Git(runner, root, env),
    ...(mirror ? { mirror } : {}),
    logger,
    progressLines,
    context,
    close: () => dir.remove(),
  };
}
