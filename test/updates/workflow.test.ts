/**
 * .github/workflows/update-check.yaml: scheduled, least privilege for what it does, every
 * third-party action pinned to a full commit SHA with its release named, and the commands it
 * runs are ones the CLI accepts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildProgram } from "../../src/cli/main.js";
import { ROOT } from "../helpers/tools.js";

const FILE = path.join(ROOT, ".github/workflows/update-check.yaml");
const text = readFileSync(FILE, "utf8");
const workflow = parse(text);
const steps: { uses?: string; run?: string; env?: Record<string, string> }[] =
  workflow.jobs["update-check"].steps;

describe("update-check workflow", () => {
  it("runs on a schedule and on demand, with only the permissions bump needs", () => {
    expect(workflow.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    expect(workflow.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });

  it("pins every action to a commit SHA and names the release", () => {
    const uses = text.split("\n").filter((l) => /^\s*- uses: /.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses)
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("runs outdated and bump --all --pr --publish with flags the CLI accepts", () => {
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs.join("\n")).toContain("npx shoppe outdated");
    const bumpLine = runs.find((r) => r.includes("shoppe bump"));
    expect(bumpLine).toBe("npx shoppe bump --all --pr --publish");
    const program = buildProgram(
      { stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, cwd: ROOT },
      { exitCode: 0 },
    );
    const bump = program.commands.find((c) => c.name() === "bump");
    const flags = bump?.options.map((o) => o.long);
    for (const f of ["--all", "--pr", "--publish"]) expect(flags).toContain(f);
    expect(steps.find((s) => s.run === bumpLine)?.env?.GITHUB_TOKEN).toContain(
      "secrets.GITHUB_TOKEN",
    );
  });
});
