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
  /** Key in scripts/tool-versions.env (lower-case, dashes), unless `pin` names another. */
  name: string;
  /** The pin key when several binaries are built from one pinned release (kube-*, kubectl). */
  pin?: string;
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
  ...kubeTools(),
  {
    name: "etcd",
    binary: "etcd",
    purpose: "the kwok provider's datastore (built from go.etcd.io/etcd/server/v3)",
    source: { kind: "go", module: "go.etcd.io/etcd/server/v3" },
  },
  {
    name: "kwok",
    binary: "kwok",
    purpose: "the kwok provider's simulated nodes and pods (runs no containers)",
    source: { kind: "go", module: "sigs.k8s.io/kwok" },
  },
  {
    name: "kind",
    binary: "kind",
    purpose: "the kind provider's clusters of real containers (needs a container engine)",
    source: { kind: "go", module: "sigs.k8s.io/kind" },
  },
  {
    name: "actionlint",
    binary: "actionlint",
    purpose: "checks every GitHub workflow in the test suite",
    source: { kind: "go", module: "github.com/rhysd/actionlint" },
  },
  {
    name: "docker-registry",
    binary: "docker-registry",
    purpose: "the loopback OCI registry chart tests push to (scripts/install-system-packages)",
    source: { kind: "debian", package: "docker-registry", versionArgs: ["--version"] },
  },
  {
    name: "xrootd",
    binary: "xrootd",
    purpose: "runs the xcache chart's configuration for real (origin + proxy file cache)",
    source: { kind: "debian", package: "xrootd-server", versionArgs: ["-v"] },
  },
  {
    name: "python3",
    binary: "python3",
    purpose: "runs the Python config file the ServiceX chart renders (Debian python3)",
    source: { kind: "debian", package: "python3", versionArgs: ["--version"] },
  },
  {
    name: "skopeo",
    binary: "skopeo",
    purpose: "pushes the OCI images the update tests build; the verify benchmark's peer",
    source: { kind: "debian", package: "skopeo", versionArgs: ["--version"] },
  },
  {
    name: "chromium",
    binary: "chromium",
    purpose: "the headless browser the matrix page's tests drive through playwright-core",
    source: { kind: "debian", package: "chromium", versionArgs: ["--version"] },
  },
  {
    name: "postgresql",
    binary: "psql",
    purpose:
      "the service tier's PostgreSQL (MLflow's and ServiceX's databases; Debian postgresql-15, its server runs from /usr/lib/postgresql/15/bin)",
    source: { kind: "debian", package: "postgresql-15", versionArgs: ["--version"] },
  },
  {
    name: "rabbitmq",
    binary: "rabbitmqctl",
    purpose:
      "ServiceX's message broker in the service tier (Debian rabbitmq-server; the server runs from /usr/lib/rabbitmq/bin)",
    source: { kind: "debian", package: "rabbitmq-server", versionArgs: ["version"] },
  },
  {
    name: "xrdcp",
    pin: "xrootd",
    binary: "xrdcp",
    purpose: "reads files through the cache in the xcache tests",
    source: { kind: "debian", package: "xrootd-client", versionArgs: ["--version"] },
  },
];

/** The four commands built from one pinned k8s.io/kubernetes release (KUBE_VERSION). */
function kubeTools(): ToolSpec[] {
  const purposes: Record<string, string> = {
    "kube-apiserver": "the kwok provider's API server",
    "kube-controller-manager": "the kwok provider's controllers (ReplicaSets, StatefulSets, …)",
    "kube-scheduler": "the kwok provider's scheduler",
    kubectl: "cluster diagnostics",
  };
  // Built in scripts/kube from packages of k8s.io/kubernetes: `go version -m` reports that
  // module (and its version) on the `mod` line, as the module of the main package.
  return Object.entries(purposes).map(([binary, purpose]) => ({
    name: binary,
    pin: "kube",
    binary,
    purpose,
    source: { kind: "go", module: "k8s.io/kubernetes" },
  }));
}

/** The key of `spec`'s version in scripts/tool-versions.env. */
export function pinKey(spec: ToolSpec): string {
  return spec.pin ?? spec.name;
}

/** Finds a tool by name; undefined when the catalog has no such tool. */
export function findTool(name: string): ToolSpec | undefined {
  return TOOLS.find((t) => t.name === name);
}
