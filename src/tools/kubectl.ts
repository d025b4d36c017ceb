/**
 * Typed methods over the pinned kubectl (built with the control plane, so client and server
 * versions match, field note 6), for diagnostics and for applying raw manifests. Failures are
 * CommandErrors whose output carries the API server's message.
 */
import type { Runner, RunOptions } from "../exec/runner.js";
import { requireTool } from "./locate.js";

/** kubectl bound to one kubeconfig. */
export class Kubectl {
  constructor(
    private readonly runner: Runner,
    /** Absolute path of the kubectl executable. */
    readonly binary: string,
    readonly kubeconfig: string,
  ) {}

  private run(args: string[], options: RunOptions = {}) {
    return this.runner.run(this.binary, ["--kubeconfig", this.kubeconfig, ...args], options);
  }

  /** `kubectl apply -f -` with `manifest` on stdin; server-side when asked. */
  async apply(
    manifest: string,
    o: { namespace?: string; serverSide?: boolean } = {},
  ): Promise<string> {
    const args = ["apply", "-f", "-"];
    if (o.namespace) args.push("--namespace", o.namespace);
    if (o.serverSide) args.push("--server-side");
    return (await this.run(args, { input: manifest })).stdout;
  }

  /** `kubectl get <what> -o wide` in one namespace or all (`namespace` undefined). */
  async get(what: string, namespace?: string): Promise<string> {
    const scope = namespace ? ["--namespace", namespace] : ["--all-namespaces"];
    return (await this.run(["get", what, "-o", "wide", ...scope])).stdout;
  }

  /** Events sorted by time, in one namespace or all. */
  async events(namespace?: string): Promise<string> {
    const scope = namespace ? ["--namespace", namespace] : ["--all-namespaces"];
    return (await this.run(["get", "events", "--sort-by=.lastTimestamp", ...scope])).stdout;
  }

  /**
   * A bounded diagnostics report of one namespace (field note 16: scoped and capped): workloads,
   * pods, claims and events. Sections that fail say why instead of aborting the report.
   */
  async diagnostics(namespace: string, maxChars = 20_000): Promise<string> {
    const sections: string[] = [];
    for (const [title, fn] of [
      ["workloads", () => this.get("deployments,statefulsets,daemonsets,jobs", namespace)],
      ["pods", () => this.get("pods", namespace)],
      ["claims", () => this.get("persistentvolumeclaims", namespace)],
      ["events", () => this.events(namespace)],
    ] as const) {
      const text = await fn().catch(
        (e: unknown) => `(failed: ${e instanceof Error ? e.message : e})`,
      );
      sections.push(`## ${title} (${namespace})\n${text.trim()}`);
    }
    const report = sections.join("\n\n");
    return report.length > maxChars
      ? `${report.slice(0, maxChars)}\n… (cut at ${maxChars} chars)`
      : report;
  }
}

/** Opens the pinned kubectl for the project at ctx.root against `kubeconfig`. */
export function openKubectl(
  ctx: { root: string; runner: Runner; env: NodeJS.ProcessEnv },
  kubeconfig: string,
): Kubectl {
  return new Kubectl(
    ctx.runner,
    requireTool(ctx.root, "kubectl", ctx.env.PATH ?? "").path,
    kubeconfig,
  );
}
