/**
 * SUMMARY.md of a diagnostics bundle: which component failed first and why, then every
 * problem found, in the words an operator can act on (ImagePullBackOff with the image,
 * Pending with the scheduler's message, a failed Job, a failing probe, a crashing container).
 */
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import { mdCell, mdText } from "../../chart/escape/markdown.js";
import { podOwner, podProblem } from "../readiness/workloads.js";

/** One problem found in the cluster. */
export interface Finding {
  component: string;
  /** "Pod/web-7d9f", "Job/store-init". */
  object: string;
  reason: string;
  /** ISO time it was first seen, when known. */
  since?: string;
}

/** A component the run saw fail, with its readiness reason. */
export interface FailedComponent {
  id: string;
  reason: string;
  firstProblemAt?: string;
}

/** The component an object belongs to: the run's attribution, else its labels or owner. */
export type ComponentOf = (kind: string, name: string, labels: Record<string, string>) => string;

/** Problems of pods and Jobs, earliest first. */
export function diagnose(
  pods: V1Pod[],
  jobs: V1Job[],
  events: CoreV1Event[],
  componentOf: ComponentOf,
): Finding[] {
  const out: Finding[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? "";
    const warnings = events.filter(
      (e) =>
        e.type === "Warning" && e.involvedObject?.kind === "Pod" && e.involvedObject.name === name,
    );
    const problem = podProblem(p, warnings);
    if (!problem) continue;
    const owner = podOwner(p);
    out.push({
      component: componentOf(owner.kind, owner.name, p.metadata?.labels ?? {}),
      object: `Pod/${name}`,
      reason: problem.reason,
      ...(problem.since ? { since: problem.since } : {}),
    });
  }
  for (const j of jobs) {
    const failed = j.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
    if (!failed) continue;
    const name = j.metadata?.name ?? "";
    out.push({
      component: componentOf("Job", name, j.metadata?.labels ?? {}),
      object: `Job/${name}`,
      reason: `Job failed: ${failed.reason ?? ""}${failed.message ? ` (${failed.message})` : ""}`,
      ...(failed.lastTransitionTime
        ? { since: new Date(failed.lastTransitionTime).toISOString() }
        : {}),
    });
  }
  return out.sort((a, b) => (a.since ?? "~").localeCompare(b.since ?? "~"));
}

/** What SUMMARY.md says. */
export interface SummaryInput {
  title: string;
  /** Lines under the title: where it was collected from, when. */
  about: string[];
  findings: Finding[];
  /** From a run: the components that failed, with their readiness reasons. */
  failed?: FailedComponent[];
  notes: string[];
  files: string[];
}

/** The component that failed first and why, or undefined when nothing failed. */
export function firstFailure(
  findings: Finding[],
  failed: FailedComponent[] = [],
): { component: string; why: string; object?: string; since?: string } | undefined {
  if (failed.length > 0) {
    const first = [...failed].sort((a, b) =>
      (a.firstProblemAt ?? "~").localeCompare(b.firstProblemAt ?? "~"),
    )[0] as FailedComponent;
    const f = findings.find((x) => x.component === first.id);
    return {
      component: first.id,
      why: f ? f.reason : first.reason,
      ...(f ? { object: f.object } : {}),
      ...(first.firstProblemAt ? { since: first.firstProblemAt } : {}),
    };
  }
  const f = findings[0];
  return f
    ? {
        component: f.component,
        why: f.reason,
        object: f.object,
        ...(f.since ? { since: f.since } : {}),
      }
    : undefined;
}

/** SUMMARY.md's text. */
export function summaryMarkdown(s: SummaryInput): string {
  const lines = [`# ${mdText(s.title)}`, "", ...s.about.map((a) => `${mdText(a)}  `), ""];
  const first = firstFailure(s.findings, s.failed);
  lines.push("## First failure", "");
  if (first) {
    const where = [first.object, first.since ? `since ${first.since}` : ""]
      .filter(Boolean)
      .join(", ");
    lines.push(
      `**${mdText(first.component)}** failed first: ${mdText(first.why)}${where ? ` (${mdText(where)})` : ""}`,
    );
  } else {
    lines.push("No component failed: every pod and Job looked healthy when this was collected.");
  }
  if (s.failed && s.failed.length > 0) {
    lines.push("", "## Components that failed", "", "| component | why |", "| --- | --- |");
    for (const f of s.failed)
      lines.push(`| ${mdCell(mdText(f.id))} | ${mdCell(mdText(f.reason))} |`);
  }
  if (s.findings.length > 0) {
    lines.push(
      "",
      "## Problems found",
      "",
      "| component | object | since | problem |",
      "| --- | --- | --- | --- |",
    );
    for (const f of s.findings) {
      lines.push(
        `| ${[f.component, f.object, f.since ?? "", f.reason].map((c) => mdCell(mdText(c))).join(" | ")} |`,
      );
    }
  }
  if (s.notes.length > 0) lines.push("", "## Notes", "", ...s.notes.map((n) => `- ${mdText(n)}`));
  lines.push("", "## Contents", "", ...s.files.map((f) => `- ${mdText(f)}`), "");
  return lines.join("\n");
}
