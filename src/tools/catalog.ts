/**
 * Every external tool the project installs, how it is installed and how its version is read.
 * Go-built tools are identified by the module recorded in the binary (`go version -m`), which
 * is exact even where a tool's own `--version` prints a placeholder when built by `go install`.
 */

/** How a tool reaches `.tools/bin`. */
export type ToolSource =
  | { kind: "go"; module: string }
  | { kind: "debian"; package: string; versionArgs: string[] };

/** One tool the project depends on. */
export interface ToolSpec {
  /** Key in scripts/tool-versions.env (lower-case, dashes). */
  name: string;
  /** Executable name in .tools/bin or on PATH. */
  binary: string;
  /** What it is used for, shown by `shoppe doctor`. */
  purpose: string;
  source: ToolSource;
}

/** The catalog, in the order `shoppe doctor` lists it. */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: "helm",
    binary: "helm",
    purpose: "chart dependency, lint, template, package (default major)",
    source: { kind: "go", module: "helm.sh/helm/v4" },
  },
  {
    name: "helm3",
    binary: "helm3",
    purpose: "chart checks under the last Helm 3 release",
    source: { kind: "go", module: "helm.sh/helm/v3" },
  },
];

/** Finds a tool by name; undefined when the catalog has no such tool. */
export function findTool(name: string): ToolSpec | undefined {
  return TOOLS.find((t) => t.name === name);
}
