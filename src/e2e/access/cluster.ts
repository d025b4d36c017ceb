/**
 * Live services in a cluster (kind, an existing cluster): a Service port is reached through a
 * port-forward to a ready pod behind it (the Service's selector, its targetPort resolved by
 * name from the pod's container ports), opened on first use and kept for the run. The
 * in-cluster names reached resolve to loopback for the checks' HTTP agents.
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { Reached, ServiceAccess } from "../checks/check.js";
import { type Forward, forwardPort } from "./port-forward.js";

function ready(p: V1Pod): boolean {
  return (
    p.status?.phase === "Running" &&
    (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
  );
}

/** The container port a Service's targetPort names on this pod. */
function containerPort(p: V1Pod, target: number | string | undefined, port: number): number {
  if (target === undefined) return port;
  if (typeof target === "number" || /^\d+$/.test(target)) return Number(target);
  for (const c of p.spec?.containers ?? []) {
    const found = (c.ports ?? []).find((cp) => cp.name === target);
    if (found) return found.containerPort;
  }
  throw new Error(`pod ${p.metadata?.name} has no container port named ${target}`);
}

/** See the module comment. */
export class ClusterServices implements ServiceAccess {
  readonly via = "port-forward";
  private readonly forwards = new Map<string, Promise<Forward>>();
  private readonly names = new Set<string>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly endpointsConfigMap: string,
    private readonly extra: Record<string, Record<string, string>> = {},
  ) {}

  private async open(service: string, namespace: string, port: number): Promise<Forward> {
    const core = this.kc.makeApiClient(CoreV1Api);
    const svc = await core.readNamespacedService({ name: service, namespace }).catch(() => {
      throw new Error(`Service ${namespace}/${service} does not exist`);
    });
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === port);
    if (!sp) throw new Error(`Service ${service} has no port ${port}`);
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    if (!selector) throw new Error(`Service ${service} selects no pods (no selector)`);
    const pods = await core.listNamespacedPod({ namespace, labelSelector: selector });
    const pod = pods.items.find(ready);
    if (!pod) throw new Error(`Service ${service} has no ready pod to forward to`);
    const target = containerPort(pod, sp.targetPort as number | string | undefined, port);
    return forwardPort(this.kc, namespace, pod.metadata?.name as string, target);
  }

  async reach(service: string, namespace: string, port: number): Promise<Reached> {
    const key = `${namespace}/${service}:${port}`;
    let f = this.forwards.get(key);
    if (!f) {
      f = this.open(service, namespace, port);
      this.forwards.set(key, f);
      f.catch(() => this.forwards.delete(key));
    }
    const forward = await f;
    const name = `${service}.${namespace}.svc`;
    this.names.add(name);
    this.names.add(service);
    this.names.add(`${name}.cluster.local`);
    return { name, host: "127.0.0.1", port: forward.port };
  }

  lookup(hostname: string): string | undefined {
    return this.names.has(hostname.replace(/\.$/, "")) ? "127.0.0.1" : undefined;
  }

  async wiring(): Promise<Record<string, string>> {
    const cm = await this.kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: this.endpointsConfigMap, namespace: this.namespace })
      .catch(() => {
        throw new Error(
          `the endpoints ConfigMap ${this.endpointsConfigMap} is not in namespace ${this.namespace}`,
        );
      });
    return cm.data ?? {};
  }

  async params(component: string): Promise<Record<string, string>> {
    return { ...this.extra[component] };
  }

  /** Closes every forward. */
  async close(): Promise<void> {
    const all = [...this.forwards.values()];
    this.forwards.clear();
    await Promise.all(all.map((f) => f.then((x) => x.close()).catch(() => undefined)));
  }
}
