/**
 * Typed methods over the real helm binary. Arguments are composed as argv arrays, never a
 * shell string; failures surface as CommandError from the runner with the full command line.
 */
import path from "node:path";
import type { Runner, RunOptions } from "../exec/runner.js";
import type { Logger } from "../log.js";
import { requireTool } from "./locate.js";

/** Which pinned helm major to run: v4 (default) or the last v3 beside it. */
export type HelmMajor = "v4" | "v3";

/** The binary name install-tools links for each major. */
export const HELM_BINARY: Record<HelmMajor, string> = { v4: "helm", v3: "helm3" };

/** Options common to commands that render a chart. */
export interface TemplateOptions {
  releaseName: string;
  namespace?: string;
  valuesFiles?: string[];
  set?: Record<string, string>;
  /** `--set-string`: values kept as strings (e.g. `'""'`, which `--set` would read as empty). */
  setString?: Record<string, string>;
  kubeVersion?: string;
  /** Extra API versions to report as available (`--api-versions`), e.g. CRD groups. */
  apiVersions?: string[];
  includeCrds?: boolean;
}

/** How to reach a registry: plain HTTP (loopback, no TLS) or TLS without verification. */
export interface RegistryAccess {
  plainHttp?: boolean;
  insecure?: boolean;
}

function remoteFlags(o: RegistryAccess): string[] {
  const flags: string[] = [];
  if (o.plainHttp) flags.push("--plain-http");
  if (o.insecure) flags.push("--insecure-skip-tls-verify");
  return flags;
}

/** One helm binary with an isolated home, so tests and CI never touch ~/.config/helm. */
export class Helm {
  constructor(
    private readonly runner: Runner,
    /** Absolute path of the helm executable. */
    readonly binary: string,
    /** Environment for every call: HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME, … */
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  private run(args: string[], options: RunOptions = {}) {
    return this.runner.run(this.binary, args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** `helm version --template {{.Version}}`, e.g. "v4.3.1". */
  async version(): Promise<string> {
    return (await this.run(["version", "--template", "{{.Version}}"])).stdout.trim();
  }

  /** `helm repo add` (idempotent with --force-update). */
  async repoAdd(name: string, url: string): Promise<void> {
    await this.run(["repo", "add", name, url, "--force-update"]);
  }

  /** `helm repo update` of the named repositories (all when none are named). */
  async repoUpdate(names: string[] = []): Promise<void> {
    await this.run(["repo", "update", ...names]);
  }

  /**
   * `helm dependency build` (from Chart.lock) or `update` (re-resolve, rewrite the lock).
   * `plainHttp` fetches OCI dependencies over plain HTTP (loopback registries without TLS);
   * both majors take the flag on `dependency` since Helm 3.13.
   */
  async dependency(
    mode: "build" | "update",
    chartDir: string,
    o: { plainHttp?: boolean; skipRefresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<string> {
    const args = ["dependency", mode, chartDir];
    if (o.plainHttp) args.push("--plain-http");
    if (o.skipRefresh) args.push("--skip-refresh");
    return (await this.run(args, { signal: o.signal })).stdout;
  }

  /** `helm registry login`, the password on stdin so it never appears in the command line. */
  async registryLogin(
    host: string,
    o: RegistryAccess & { username: string; password: string },
  ): Promise<void> {
    const args = ["registry", "login", host, "--username", o.username, "--password-stdin"];
    if (o.plainHttp) args.push("--plain-http");
    if (o.insecure) args.push("--insecure");
    await this.run(args, { input: o.password });
  }

  /** `helm registry logout`. */
  async registryLogout(host: string): Promise<void> {
    await this.run(["registry", "logout", host]);
  }

  /** `helm pull` of a chart (`repo/name`, `oci://…` or a URL) into `destination`, which must exist. */
  async pull(
    chart: string,
    o: RegistryAccess & { version?: string; destination: string; untar?: boolean },
  ): Promise<string> {
    const args = ["pull", chart, "--destination", o.destination, ...remoteFlags(o)];
    if (o.version) args.push("--version", o.version);
    if (o.untar) args.push("--untar");
    return (await this.run(args)).stdout;
  }

  /** `helm show chart`: the Chart.yaml of a chart directory, archive, `repo/name` or `oci://…`. */
  async showChart(chart: string, o: RegistryAccess & { version?: string } = {}): Promise<string> {
    const args = ["show", "chart", chart, ...remoteFlags(o)];
    if (o.version) args.push("--version", o.version);
    return (await this.run(args)).stdout;
  }

  /** `helm show values`: the default values of a chart directory or archive. */
  async showValues(chart: string): Promise<string> {
    return (await this.run(["show", "values", chart])).stdout;
  }

  /** `helm lint --strict` with the given values files; returns helm's report. */
  async lint(chartDir: string, valuesFiles: string[] = [], kubeVersion?: string): Promise<string> {
    const args = ["lint", chartDir, "--strict", ...valuesFiles.flatMap((f) => ["--values", f])];
    if (kubeVersion) args.push("--kube-version", kubeVersion);
    return (await this.run(args)).stdout;
  }

  /** `helm template`: the rendered multi-document YAML. */
  async template(chart: string, o: TemplateOptions): Promise<string> {
    const args = ["template", o.releaseName, chart];
    if (o.namespace) args.push("--namespace", o.namespace);
    for (const f of o.valuesFiles ?? []) args.push("--values", f);
    for (const [k, v] of Object.entries(o.set ?? {})) args.push("--set", `${k}=${v}`);
    for (const [k, v] of Object.entries(o.setString ?? {})) args.push("--set-string", `${k}=${v}`);
    if (o.kubeVersion) args.push("--kube-version", o.kubeVersion);
    for (const a of o.apiVersions ?? []) args.push("--api-versions", a);
    if (o.includeCrds) args.push("--include-crds");
    return (await this.run(args)).stdout;
  }

  /**
   * The rendered NOTES.txt of a chart, from `helm install --dry-run=client` (no cluster is
   * contacted). `helm template` and `helm lint` never render NOTES.txt. Capabilities are
   * helm's built-in defaults: install takes no --kube-version or --api-versions.
   */
  async notes(
    chart: string,
    o: Omit<TemplateOptions, "kubeVersion" | "apiVersions" | "includeCrds">,
  ): Promise<string> {
    const args = ["install", o.releaseName, chart, "--dry-run=client"];
    if (o.namespace) args.push("--namespace", o.namespace);
    for (const f of o.valuesFiles ?? []) args.push("--values", f);
    for (const [k, v] of Object.entries(o.set ?? {})) args.push("--set", `${k}=${v}`);
    const { stdout } = await this.run(args);
    const at = stdout.lastIndexOf("\nNOTES:\n");
    return at < 0 ? "" : stdout.slice(at + "\nNOTES:\n".length);
  }

  /** `helm package` into `destination`; returns the path of the .tgz helm reports. */
  async package(chartDir: string, destination: string): Promise<string> {
    const { stdout } = await this.run(["package", chartDir, "--destination", destination]);
    const m = /saved it to:\s*(\S+)/i.exec(stdout);
    return m?.[1] ?? stdout.trim();
  }

  /** `helm push <tgz> oci://…`; `plainHttp` for a loopback registry without TLS. */
  async push(tgz: string, remote: string, plainHttp = false): Promise<string> {
    const args = ["push", tgz, remote];
    if (plainHttp) args.push("--plain-http");
    return (await this.run(args)).stdout;
  }

  /** `helm repo index` for a directory of packaged charts; `merge` keeps an existing index's entries. */
  async repoIndex(dir: string, url?: string, merge?: string): Promise<void> {
    const args = url ? ["repo", "index", dir, "--url", url] : ["repo", "index", dir];
    await this.run(merge ? [...args, "--merge", merge] : args);
  }

  /** `helm install` (waits when asked) into the cluster the kubeconfig names. */
  async install(
    releaseName: string,
    chart: string,
    o: ReleaseTarget & {
      valuesFiles?: string[];
      wait?: boolean;
      /** Bounds hooks (and, with `wait`, readiness); helm's default is 5m. */
      timeout?: string;
      createNamespace?: boolean;
      set?: Record<string, string>;
      signal?: AbortSignal;
    },
  ): Promise<string> {
    const args = ["install", releaseName, chart, ...targetFlags(o)];
    if (o.createNamespace) args.push("--create-namespace");
    for (const f of o.valuesFiles ?? []) args.push("--values", f);
    for (const [k, v] of Object.entries(o.set ?? {})) args.push("--set", `${k}=${v}`);
    if (o.wait) args.push("--wait");
    if (o.timeout ?? o.wait) args.push("--timeout", o.timeout ?? "5m");
    return (await this.run(args, { signal: o.signal })).stdout;
  }

  /** `helm upgrade` of an installed release to `chart`, with exactly the given values files. */
  async upgrade(
    releaseName: string,
    chart: string,
    o: ReleaseTarget & { valuesFiles?: string[]; timeout?: string; signal?: AbortSignal },
  ): Promise<string> {
    const args = ["upgrade", releaseName, chart, ...targetFlags(o), "--reset-values"];
    for (const f of o.valuesFiles ?? []) args.push("--values", f);
    if (o.timeout) args.push("--timeout", o.timeout);
    return (await this.run(args, { signal: o.signal })).stdout;
  }

  /** `helm uninstall`, waiting for the release's objects to be deleted when asked. */
  async uninstall(releaseName: string, o: ReleaseTarget & { wait?: boolean }): Promise<void> {
    const args = ["uninstall", releaseName, ...targetFlags(o)];
    if (o.wait) args.push("--wait");
    await this.run(args);
  }

  /** `helm status`: the release's state, as a person reads it. */
  async status(releaseName: string, o: ReleaseTarget): Promise<string> {
    return (await this.run(["status", releaseName, ...targetFlags(o)])).stdout;
  }

  /** `helm history`: every revision of the release. */
  async history(releaseName: string, o: ReleaseTarget): Promise<string> {
    return (await this.run(["history", releaseName, ...targetFlags(o)])).stdout;
  }

  /** `helm get manifest`: what the release installed, with helm's `# Source:` comments. */
  async manifest(releaseName: string, o: ReleaseTarget): Promise<string> {
    return (await this.run(["get", "manifest", releaseName, ...targetFlags(o)])).stdout;
  }

  /** `helm list` in one namespace, or every namespace when `namespace` is undefined. */
  async list(o: Omit<ReleaseTarget, "namespace"> & { namespace?: string }): Promise<HelmRelease[]> {
    const scope = o.namespace ? ["--namespace", o.namespace] : ["--all-namespaces"];
    const args = ["list", ...scope, "--kubeconfig", o.kubeconfig, "--output", "json"];
    if (o.kubeContext) args.push("--kube-context", o.kubeContext);
    return JSON.parse((await this.run(args)).stdout || "[]") as HelmRelease[];
  }
}

/** Where a release lives: its namespace, the kubeconfig and (optionally) its context. */
export interface ReleaseTarget {
  namespace: string;
  kubeconfig: string;
  kubeContext?: string | undefined;
}

/** One row of `helm list --output json`. */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
  app_version: string;
}

function targetFlags(o: ReleaseTarget): string[] {
  const flags = ["--namespace", o.namespace, "--kubeconfig", o.kubeconfig];
  if (o.kubeContext) flags.push("--kube-context", o.kubeContext);
  return flags;
}

/** Opens the pinned helm of the given major for the project at ctx.root. */
export function openHelm(
  ctx: { root: string; runner: Runner; env: NodeJS.ProcessEnv; logger?: Logger },
  major: HelmMajor = "v4",
  home?: string,
): Helm {
  const found = requireTool(ctx.root, HELM_BINARY[major], ctx.env.PATH ?? "");
  ctx.logger?.debug(
    `using ${HELM_BINARY[major]} (${major}) at ${found.path} (${found.origin === "project" ? "pinned in .tools/bin" : "from PATH"})`,
  );
  // A private helm home keeps repository lists, caches and registry logins of one run
  // (and of each major, whose formats differ) away from the user's own.
  const base = home ?? path.join(ctx.root, ".shoppe", "helm", major);
  return new Helm(ctx.runner, found.path, {
    HELM_CACHE_HOME: path.join(base, "cache"),
    HELM_CONFIG_HOME: path.join(base, "config"),
    HELM_DATA_HOME: path.join(base, "data"),
  });
}
