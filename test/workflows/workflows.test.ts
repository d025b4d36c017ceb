/**
 * Every GitHub workflow: checked by the pinned actionlint (expressions, contexts, action
 * inputs, runner labels, job dependencies), every third-party action pinned to a full commit
 * SHA with the release it stands for in a comment, the same action at the same commit in every
 * workflow, and the rules they all follow (least permissions, a timeout on every job). The
 * pages workflow publishes what `shoppe matrix` and `shoppe badge` write.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { describeWithTools, findTool, ROOT } from "../helpers/tools.js";
import { tempDir } from "../support/temp.js";

const run = promisify(execFile);
const DIR = path.join(ROOT, ".github/workflows");
const FILES = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { "timeout-minutes"?: number; steps?: Step[]; uses?: string }>;
}

const text = (f: string) => readFileSync(path.join(DIR, f), "utf8");
const workflow = (f: string) => parse(text(f)) as Workflow;

/** Every `uses:` line of a workflow, as written (with its comment). */
function usesLines(f: string): string[] {
  return text(f)
    .split("\n")
    .filter((l) => /^\s*(-\s+)?uses:/.test(l))
    .map((l) => l.replace(/^\s*(-\s+)?uses:\s*/, ""));
}

async function actionlint(files: string[]) {
  const bin = findTool("actionlint") ?? "actionlint";
  // shellcheck and pyflakes are not pinned: the same checks run on every machine.
  const flags = ["-no-color", "-oneline", "-shellcheck=", "-pyflakes="];
  return run(bin, [...flags, ...files], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe(".github/workflows", () => {
  it("has the five workflows", () => {
    expect(FILES).toEqual([
      "ci.yaml",
      "e2e.yaml",
      "pages.yaml",
      "release.yaml",
      "update-check.yaml",
    ]);
  });

  it("pins every third-party action to a full commit SHA, named by its release", () => {
    const seen = new Map<string, string>();
    for (const f of FILES) {
      const lines = usesLines(f);
      expect(lines.length, f).toBeGreaterThan(0);
      for (const line of lines) {
        const m = /^([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line);
        expect(m, `${f}: uses: ${line}`).not.toBeNull();
        const [action, sha] = [m?.[1] ?? "", m?.[2] ?? ""];
        // One commit per action across the workflows, so they cannot drift apart.
        expect(seen.get(action) ?? sha, `${f}: ${action}`).toBe(sha);
        seen.set(action, sha);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(9);
  });

  it("grants permissions explicitly and bounds every job's time", () => {
    for (const f of FILES) {
      const wf = workflow(f);
      expect(wf.permissions, f).toBeDefined();
      for (const [name, job] of Object.entries(wf.jobs)) {
        expect(job["timeout-minutes"], `${f}: ${name}`).toBeGreaterThan(0);
      }
    }
  });

  it("publishes the matrix, the badges and the chart index to GitHub Pages after e2e and releases", () => {
    const wf = workflow("pages.yaml");
    expect(wf.on).toMatchObject({
      workflow_run: { workflows: ["e2e", "release"], types: ["completed"] },
    });
    const steps = wf.jobs.build?.steps ?? [];
    const script = steps.map((s) => s.run ?? "").join("\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell array, not a template.
    expect(script).toContain('npx shoppe matrix "${inputs[@]}" --out site --link-base "$SITE_URL"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell array, not a template.
    expect(script).toContain('npx shoppe badge "${inputs[@]}" --out site/badges');
    expect(script).toContain("cp gh-pages/index.yaml site/index.yaml");
    expect(
      steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))?.with?.path,
    ).toBe("site");
    expect(wf.jobs.deploy?.steps?.[0]?.uses).toMatch(/^actions\/deploy-pages@/);
    // The e2e workflow's artefacts are what the pages workflow downloads.
    const e2e = text("e2e.yaml");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template.
    expect(e2e).toContain("name: e2e-kind-${{ matrix.kubernetes }}");
    expect(steps.find((s) => s.uses?.startsWith("actions/download-artifact@"))?.with?.pattern).toBe(
      "e2e-kind-*",
    );
  });
});

describeWithTools("actionlint", ["actionlint"], () => {
  const temps: (() => Promise<void>)[] = [];
  afterAll(async () => Promise.all(temps.map((t) => t())));

  it("finds nothing in any workflow", async () => {
    const res = await actionlint(FILES.map((f) => path.join(".github/workflows", f)));
    expect(`${res.stdout}${res.stderr}`).toBe("");
    expect(res.code).toBe(0);
  });

  it("is the pinned version, and does find a broken workflow", async () => {
    const pin = /^ACTIONLINT_VERSION=(\S+)$/m.exec(
      readFileSync(path.join(ROOT, "scripts/tool-versions.env"), "utf8"),
    )?.[1];
    const version = await run(findTool("actionlint") ?? "actionlint", ["-version"]);
    expect(version.stdout.split("\n")[0]).toBe(pin);
    const dir = await tempDir("actionlint");
    temps.push(dir.remove);
    const broken = text("pages.yaml").replace(
      "steps.pages.outputs.base_url",
      "steps.pagez.outputs.base_url",
    );
    await writeFile(path.join(dir.path, "pages.yaml"), broken);
    const res = await actionlint([path.join(dir.path, "pages.yaml")]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/property "pagez" is not defined/);
  });
});
