/**
 * `helm lint` output as data: one finding per `[SEVERITY] message` block, each tied to the
 * components it is about (a schema report names subcharts on the lines after the message).
 */
import { classifyHelmFailure } from "./failures.js";
import type { ChartSource } from "./repositories.js";

/** One lint finding. */
export interface LintFinding {
  severity: "INFO" | "WARNING" | "ERROR";
  message: string;
  components: string[];
}

const FINDING = /^\[(INFO|WARNING|ERROR)\]\s+(.*)$/;

/** Parses helm lint's report (Helm 3 and 4 print the same shape). */
export function parseLintReport(output: string, sources: ChartSource[]): LintFinding[] {
  const findings: LintFinding[] = [];
  let current: { severity: LintFinding["severity"]; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const message = current.lines.join("\n").trim();
    const { components } = classifyHelmFailure(message, sources);
    findings.push({ severity: current.severity, message, components });
    current = undefined;
  };
  for (const raw of output.split("\n")) {
    const line = raw.trimEnd();
    const m = FINDING.exec(line.trim());
    if (m) {
      flush();
      current = { severity: m[1] as LintFinding["severity"], lines: [m[2] ?? ""] };
    } else if (/^(==>|Error:|\d+ chart\(s\) linted)/.test(line.trim())) {
      flush();
    } else if (current && line.trim() !== "") {
      current.lines.push(line.trim());
    }
  }
  flush();
  return findings;
}
