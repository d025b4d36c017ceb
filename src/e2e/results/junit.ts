/**
 * JUnit XML of e2e results, for CI test reports: one testsuite per run (one Kubernetes
 * version), a testcase per component's readiness and per check. `skipped` and `not-run` are
 * JUnit skips carrying their reason, so a report never counts them as passes.
 */
import type { CheckResult, ComponentResult, E2eResults, Status } from "./model.js";

/** Text safe in XML content and attributes (characters XML 1.0 cannot carry are dropped). */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing what XML 1.0 forbids.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

interface Case {
  classname: string;
  name: string;
  status: Status;
  reason?: string | undefined;
  details?: string;
  ms: number;
}

function componentCase(prefix: string, c: ComponentResult): Case {
  return {
    classname: `${prefix}readiness`,
    name: `${c.id} is ready`,
    status: c.status,
    reason: c.reason,
    details: c.workloads.map((w) => `${w.kind}/${w.name}: ${w.detail}`).join("\n"),
    ms: c.durationMs ?? 0,
  };
}

function checkCase(prefix: string, c: CheckResult): Case {
  return {
    classname: `${prefix}checks`,
    name: `${c.component}: ${c.name}`,
    status: c.status,
    reason: c.reason,
    details: c.evidence.join("\n"),
    ms: c.durationMs,
  };
}

function cases(r: E2eResults): Case[] {
  const out: Case[] = [];
  if (r.status === "not-run" || r.components.length === 0) {
    out.push({
      classname: "e2e",
      name: "install",
      status: r.status === "passed" ? "passed" : r.status === "failed" ? "failed" : "not-run",
      reason: r.reason,
      ms: r.durationMs,
    });
  }
  if (r.upgrade) {
    out.push(...r.upgrade.components.map((c) => componentCase("e2e.before-upgrade.", c)));
    out.push(...r.upgrade.checks.map((c) => checkCase("e2e.upgrade.", c)));
  }
  out.push(...r.components.map((c) => componentCase("e2e.", c)));
  out.push(...r.checks.map((c) => checkCase("e2e.", c)));
  return out;
}

function testcase(c: Case): string {
  const head = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${(c.ms / 1000).toFixed(3)}"`;
  const body = c.details ? `      <system-out>${xmlEscape(c.details)}</system-out>\n` : "";
  const message = xmlEscape(c.reason ?? c.status);
  if (c.status === "failed") {
    return `${head}>\n      <failure message="${message}">${xmlEscape(c.reason ?? "")}</failure>\n${body}    </testcase>`;
  }
  if (c.status === "skipped" || c.status === "not-run") {
    return `${head}>\n      <skipped message="${xmlEscape(`${c.status}: ${c.reason ?? ""}`)}"/>\n${body}    </testcase>`;
  }
  return body ? `${head}>\n${body}    </testcase>` : `${head}/>`;
}

/** The name a run's testsuite carries: provider, Kubernetes version, profile. */
export function suiteName(r: E2eResults): string {
  return `shoppe e2e ${r.provider.name} kubernetes ${r.kubernetes.version} profile ${r.profile}`;
}

/** JUnit XML of one or more runs. */
export function junitXml(runs: E2eResults[]): string {
  const suites = runs.map((r) => {
    const all = cases(r);
    const count = (s: Status[]) => all.filter((c) => s.includes(c.status)).length;
    const props = [
      ["status", r.status],
      ["tier", r.tier ?? "none"],
      ["provider", r.provider.name],
      ["kubernetes", r.kubernetes.served ?? r.kubernetes.version],
      ["chart", `${r.chart.name}-${r.chart.version}`],
      ["stack-digest", r.stack.digest],
    ]
      .map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v as string)}"/>`)
      .join("\n");
    return [
      `  <testsuite name="${xmlEscape(suiteName(r))}" tests="${all.length}" failures="${count(["failed"])}" errors="0" skipped="${count(["skipped", "not-run"])}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${r.startedAt}">`,
      `    <properties>\n${props}\n    </properties>`,
      ...all.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shoppe e2e">\n${suites.join("\n")}\n</testsuites>\n`;
}
