/**
 * The e2e results a release's notes show (`--results <file>`, one file per run of
 * `shoppe e2e run`), read with the results' own zod model and summarised per Kubernetes
 * version: the tier the run earned, and every component's and check's status. A run of
 * another chart version is shown as such, never as this release's.
 */
import path from "node:path";
import { type E2eResults, E2eResultsSchema } from "../../e2e/results/model.js";
import { InputError } from "../../errors.js";
import { readInputText } from "../../io/read-input.js";

/** One run, as the notes show it. */
export interface ResultSummary {
  file: string;
  kubernetes: string;
  status: E2eResults["status"];
  /** "not installed" when the run never installed the chart. */
  tier: string;
  provider: string;
  chartVersion: string;
  /** Whether the run tested this release's chart version. */
  thisRelease: boolean;
  components: { id: string; status: string; reason?: string }[];
  checks: { passed: number; failed: number; skipped: number; notRun: number };
}

/** Reads and checks one results file; InputError naming the file when it is not one. */
export async function readResults(root: string, file: string): Promise<E2eResults> {
  const text = await readInputText(path.resolve(root, file), {
    shown: file,
    maxBytes: 16 * 1024 * 1024,
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`failed to read ${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = E2eResultsSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new InputError(
      `failed to read ${file}: not an e2e results file of shoppe e2e run (${first?.path.join(".") || "(root)"}: ${first?.message})`,
    );
  }
  return parsed.data;
}

/** The summary of one run for release `version`. */
export function summariseResults(file: string, r: E2eResults, version: string): ResultSummary {
  const count = (s: string) => r.checks.filter((c) => c.status === s).length;
  return {
    file,
    kubernetes: r.kubernetes.version,
    status: r.status,
    tier: r.tier ?? "not installed",
    provider: r.provider.name,
    chartVersion: r.chart.version,
    thisRelease: r.chart.version === version,
    components: r.components.map((c) => ({
      id: c.id,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
    })),
    checks: {
      passed: count("passed"),
      failed: count("failed"),
      skipped: count("skipped"),
      notRun: count("not-run"),
    },
  };
}
