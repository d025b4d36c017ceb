/**
 * Reads helm's error output and says which component it is about. Helm reports a missing
 * chart version, an unreachable repository or registry, a schema violation or unbuilt
 * dependencies in prose that names a URL, a tarball or a subchart; this module maps those back
 * to the component ids of stack.yaml (Helm 3 and Helm 4 wordings both).
 */
import type { ChartSource } from "./repositories.js";

/** What went wrong, as far as helm's output tells. */
export type HelmFailureKind =
  | "version-missing"
  | "repository-unreachable"
  | "registry-unreachable"
  | "plain-http-needed"
  | "schema"
  | "dependencies-missing"
  | "lock-stale"
  | "unknown";

/** One schema violation helm reported for a (sub)chart. */
export interface SchemaViolation {
  /** The (sub)chart helm named; for an aliased subchart that is the alias (component id). */
  chart: string;
  /** JSON pointer of the value, e.g. `/service/port` ("" when helm gave none). */
  pointer: string;
  message: string;
}

/** A classified helm failure. */
export interface HelmFailure {
  kind: HelmFailureKind;
  /** Components the failure is about, most specific first; [] when none could be told. */
  components: string[];
  /** Helm's own one-line summary (its last `Error:` line, else its last line). */
  summary: string;
  /** For `schema`: each violation helm listed. */
  violations: SchemaViolation[];
}

const UNREACHABLE =
  /connection refused|no such host|i\/o timeout|context deadline exceeded|connection reset|network is unreachable|no route to host|server misbehaving|EOF\b|tls: |x509: /i;

/** Helm's last `Error:` line, without the prefix. */
export function errorSummary(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /^Error:\s/.test(l));
  return (errors.at(-1) ?? lines.at(-1) ?? "").replace(/^Error:\s*/, "");
}

/** Components whose chart helm's text names specifically: quoted alias, tarball or OCI reference. */
function specificMatches(text: string, sources: ChartSource[]): string[] {
  return sources
    .filter((s) => {
      const needles = [`"${s.component}"`, `/${s.chart}-${s.version}.tgz`, `"${s.chart}"`];
      if (s.kind === "oci") {
        const base = s.location.replace(/^oci:\/\//, "").replace(/\/+$/, "");
        needles.push(`${base}/${s.chart}:`, `${base}/${s.chart}"`, `oci://${base}/${s.chart}`);
      }
      return needles.some((n) => text.includes(n));
    })
    .map((s) => s.component);
}

/** Components whose repository or registry appears in the text (any chart served there). */
function locationMatches(text: string, sources: ChartSource[]): string[] {
  return sources
    .filter((s) => {
      if (s.kind === "local") return false;
      const where = s.kind === "oci" ? (s.registry ?? "") : s.location.replace(/\/+$/, "");
      return where !== "" && text.includes(where);
    })
    .map((s) => s.component);
}

/** The components a piece of helm output is about. */
export function componentsNamed(text: string, sources: ChartSource[]): string[] {
  const specific = specificMatches(text, sources);
  return specific.length > 0 ? specific : locationMatches(text, sources);
}

/** Schema violations in helm's "values don't meet the specifications" report. */
export function parseSchemaViolations(output: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const start = output.search(/values don't meet the specifications of the schema/);
  if (start < 0) return out;
  let chart = "";
  for (const raw of output.slice(start).split("\n").slice(1)) {
    const line = raw.trim();
    if (!line) continue;
    const header = /^([\w.-]+):$/.exec(line);
    if (header?.[1]) {
      chart = header[1];
      continue;
    }
    // Helm 4: "- at '/service/port': got string, want integer"; Helm 3: "- service.port: Invalid type…".
    const v4 = /^- at '([^']*)':\s*(.*)$/.exec(line);
    const v3 = /^- (\(root\)|[\w.[\]-]+):\s*(.*)$/.exec(line);
    if (v4 && chart) out.push({ chart, pointer: v4[1] ?? "", message: v4[2] ?? "" });
    else if (v3 && chart)
      out.push({ chart, pointer: dottedToPointer(v3[1] ?? ""), message: v3[2] ?? "" });
    else if (!line.startsWith("-") && !header) break;
  }
  return out;
}

/** `service.port` → `/service/port`; `(root)` → "". */
function dottedToPointer(path: string): string {
  if (path === "(root)") return "";
  return `/${path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .join("/")}`;
}

/** Classifies helm's output and names the components it is about. */
export function classifyHelmFailure(output: string, sources: ChartSource[]): HelmFailure {
  const summary = errorSummary(output);
  const base = { summary, violations: [] as SchemaViolation[] };
  const about = (text: string) => componentsNamed(text, sources);
  if (/values don't meet the specifications of the schema/.test(output)) {
    const violations = parseSchemaViolations(output);
    const ids = new Set(sources.map((s) => s.component));
    const comps = [
      ...new Set(
        violations.map(
          (v) =>
            sources.find((s) => s.component === v.chart || s.chart === v.chart)?.component ??
            v.chart,
        ),
      ),
    ].filter((c) => ids.has(c) || c !== "");
    return { ...base, kind: "schema", components: comps, violations };
  }
  const missing = /found in Chart\.yaml, but missing in charts\/ directory:\s*(.+)$/m.exec(output);
  if (missing?.[1]) {
    const names = missing[1].split(",").map((n) => n.trim());
    const comps = sources.filter((s) => names.includes(s.component) || names.includes(s.chart));
    return { ...base, kind: "dependencies-missing", components: comps.map((s) => s.component) };
  }
  if (/lock file \(Chart\.lock\) is out of sync/.test(output)) {
    return { ...base, kind: "lock-stale", components: [] };
  }
  const versionLine =
    /can't get a valid version for[^\n]*|no chart version found for[^\n]*|chart "[^"]+"[^\n]* not found in[^\n]*|FetchReference[^\n]*: not found|manifest unknown[^\n]*/.exec(
      output,
    );
  if (versionLine) return { ...base, kind: "version-missing", components: about(versionLine[0]) };
  const plain = /server gave HTTP response to HTTPS client/.test(output);
  const text = summary || output;
  if (plain) return { ...base, kind: "plain-http-needed", components: about(text) };
  if (
    /is not a valid chart repository or cannot be reached/.test(output) ||
    UNREACHABLE.test(text)
  ) {
    const comps = about(text);
    const oci =
      comps.length > 0 &&
      comps.every((c) => sources.find((s) => s.component === c)?.kind === "oci");
    return {
      ...base,
      kind:
        oci || /oci:\/\/|FetchReference/.test(text)
          ? "registry-unreachable"
          : "repository-unreachable",
      components: comps,
    };
  }
  return { ...base, kind: "unknown", components: about(text) };
}
