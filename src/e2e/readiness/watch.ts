/**
 * Watches one namespace through the API server's watch protocol (`@kubernetes/client-node`):
 * one list and one long-lived watch per resource (Deployments, StatefulSets, DaemonSets, Jobs,
 * Pods and Warning events), resumed from the last resourceVersion when the server closes it and
 * listed again only when that version expired (410 Gone). Nothing is polled: the number of API
 * requests does not grow with time or with the number of objects.
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, type KubeConfig, Watch } from "@kubernetes/client-node";
import type { Logger } from "../../log.js";
import type { WorkloadKind } from "./workloads.js";

/** What the watch reports: an object of a kind was added, changed or deleted. */
export type WatchHandler = (
  kind: WorkloadKind | "Event",
  type: "ADDED" | "MODIFIED" | "DELETED",
  obj: { metadata?: { name?: string; resourceVersion?: string } },
) => void;

type Listed = { items: unknown[]; metadata?: { resourceVersion?: string } };

interface Resource {
  kind: WorkloadKind | "Event";
  path: (ns: string) => string;
  list: (kc: KubeConfig, ns: string) => Promise<Listed>;
  fieldSelector?: string;
}

const apps = (plural: string) => (ns: string) => `/apis/apps/v1/namespaces/${ns}/${plural}`;

const RESOURCES: Resource[] = [
  {
    kind: "Deployment",
    path: apps("deployments"),
    list: (kc, namespace) => kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace }),
  },
  {
    kind: "StatefulSet",
    path: apps("statefulsets"),
    list: (kc, namespace) => kc.makeApiClient(AppsV1Api).listNamespacedStatefulSet({ namespace }),
  },
  {
    kind: "DaemonSet",
    path: apps("daemonsets"),
    list: (kc, namespace) => kc.makeApiClient(AppsV1Api).listNamespacedDaemonSet({ namespace }),
  },
  {
    kind: "Job",
    path: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
    list: (kc, namespace) => kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace }),
  },
  {
    kind: "Pod",
    path: (ns) => `/api/v1/namespaces/${ns}/pods`,
    list: (kc, namespace) => kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace }),
  },
  {
    kind: "Event",
    path: (ns) => `/api/v1/namespaces/${ns}/events`,
    fieldSelector: "type=Warning",
    list: (kc, namespace) =>
      kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: "type=Warning" }),
  },
];

/** Pause before resuming a watch that failed, so a dead API server is not hammered. */
const RETRY_MS = 1_000;

/** See the module comment. */
export class NamespaceWatch {
  /** Lists and watches started so far (the benchmark compares it with kubectl wait). */
  requests = 0;
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly handler: WatchHandler,
    private readonly logger: Logger,
  ) {}

  /** Lists every resource (handler gets ADDED for each object), then starts the watches. */
  async start(): Promise<void> {
    await Promise.all(RESOURCES.map((r) => this.listAndWatch(r)));
  }

  /**
   * "Kind/name" → generation of every workload now, read with one list per workload kind:
   * what helm just changed, whether or not the watch has delivered it yet.
   */
  async generations(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const r of RESOURCES.filter((x) => x.kind !== "Pod" && x.kind !== "Event")) {
      this.requests++;
      const listed = await r.list(this.kc, this.namespace);
      for (const o of listed.items as { metadata?: { name?: string; generation?: number } }[]) {
        out.set(`${r.kind}/${o.metadata?.name ?? ""}`, o.metadata?.generation ?? 0);
      }
    }
    return out;
  }

  /** Closes every watch; no handler call follows. */
  stop(): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }

  private async listAndWatch(r: Resource): Promise<void> {
    if (this.stopped) return;
    this.requests++;
    const listed = await r.list(this.kc, this.namespace);
    if (this.stopped) return;
    for (const o of listed.items)
      this.handler(r.kind, "ADDED", o as { metadata?: { name?: string } });
    await this.watch(r, listed.metadata?.resourceVersion ?? "");
  }

  private async watch(r: Resource, resourceVersion: string): Promise<void> {
    if (this.stopped) return;
    let version = resourceVersion;
    let expired = false;
    let ended = false;
    let controller: AbortController | undefined;
    this.requests++;
    controller = await new Watch(this.kc).watch(
      r.path(this.namespace),
      {
        resourceVersion: version,
        allowWatchBookmarks: true,
        ...(r.fieldSelector ? { fieldSelector: r.fieldSelector } : {}),
      },
      (type, obj: { metadata?: { resourceVersion?: string }; code?: number }) => {
        if (this.stopped) return;
        if (type === "ERROR") {
          expired = obj.code === 410;
          return;
        }
        version = obj.metadata?.resourceVersion ?? version;
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
          this.handler(r.kind, type, obj);
        }
      },
      (err: unknown) => {
        ended = true;
        if (controller) this.controllers.delete(controller);
        if (this.stopped) return;
        if (err) this.logger.debug(`watch of ${r.kind} in ${this.namespace} ended: ${String(err)}`);
        // The server closes watches after a while; resume where it left off, or list again.
        setTimeout(
          () => {
            const next = expired ? this.listAndWatch(r) : this.watch(r, version);
            next.catch((e: unknown) =>
              this.logger.debug(`rewatch of ${r.kind} failed: ${String(e)}`),
            );
          },
          err ? RETRY_MS : 0,
        ).unref();
      },
    );
    if (this.stopped) controller.abort();
    else if (!ended) this.controllers.add(controller);
  }
}
