/**
 * .github/workflows/e2e.yaml: the matrix is computed by `shoppe e2e matrix` from stack.yaml (not
 * typed twice), every run is `shoppe e2e run --provider kind` on one version of it, results are
 * uploaded, and every action is pinned to a full commit SHA.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/tools.js";

const text = readFileSync(path.join(ROOT, ".github/workflows/e2e.yaml"), "utf8");
const wf = parse(text) as {
  jobs: Record<
    string,
    {
      steps: { uses?: string; run?: string; with?: Record<string, unknown> }[];
      strategy?: { matrix: unknown };
    }
  >;
};

describe(".github/workflows/e2e.yaml", () => {
  it("pins every action to a commit SHA", () => {
    const uses = Object.values(wf.jobs).flatMap((j) =>
      j.steps.map((s) => s.uses).filter(Boolean),
    ) as string[];
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it("computes the matrix from stack.yaml with shoppe and runs kind on each version, uploading the results", () => {
    const matrixRun = wf.jobs.matrix?.steps.map((s) => s.run ?? "").join("\n");
    expect(matrixRun).toContain("npx shoppe e2e matrix --provider kind --json");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template.
    expect(wf.jobs.kind?.strategy?.matrix).toBe("${{ fromJSON(needs.matrix.outputs.matrix) }}");
    const steps = wf.jobs.kind?.steps ?? [];
    expect(steps.map((s) => s.run ?? "")).toEqual(
      expect.arrayContaining([
        'npx shoppe e2e run --provider kind --kube-version "$VERSION" --results e2e-results',
      ]),
    );
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.path).toBe("e2e-results/");
  });
});
