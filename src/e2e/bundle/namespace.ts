/**
 * What a bundle collects from one namespace: every object's YAML (the built-in namespaced kinds
 * and custom resources from their CRDs; secrets masked as they are written), the events sorted
 * by time, and the logs of every container (current and previous). Pods on kwok's nodes have no
 * logs, and the bundle says so.
 */
import {
  ApiextensionsV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  KubernetesObjectApi,
  type V1Job,
  type V1Pod,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import { type BundleOptions, type Collection, type Item, why } from "./collection.js";
import { redactObject } from "./redact.js";

/** The namespaced kinds every bundle lists (custom resources are added from their CRDs). */
export const KINDS: [string, string][] = [
  ["v1", "Pod"],
  ["v1", "Service"],
  ["v1", "Endpoints"],
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "ServiceAccount"],
  ["v1", "PersistentVolumeClaim"],
  ["v1", "ReplicationController"],
  ["v1", "ResourceQuota"],
  ["v1", "LimitRange"],
  ["apps/v1", "Deployment"],
  ["apps/v1", "ReplicaSet"],
  ["apps/v1", "StatefulSet"],
  ["apps/v1", "DaemonSet"],
  ["apps/v1", "ControllerRevision"],
  ["batch/v1", "Job"],
  ["batch/v1", "CronJob"],
  ["networking.k8s.io/v1", "Ingress"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
  ["policy/v1", "PodDisruptionBudget"],
  ["rbac.authorization.k8s.io/v1", "Role"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["autoscaling/v2", "HorizontalPodAutoscaler"],
  ["discovery.k8s.io/v1", "EndpointSlice"],
];

/** The namespaced kinds of the cluster's custom resources. */
export async function customKinds(kc: KubeConfig, c: Collection): Promise<[string, string][]> {
  try {
    const crds = await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    return crds.items
      .filter((d) => d.spec.scope === "Namespaced")
      .map((d) => {
        const v = d.spec.versions.find((x) => x.storage) ?? d.spec.versions[0];
        return [`${d.spec.group}/${v?.name ?? "v1"}`, d.spec.names.kind] as [string, string];
      });
  } catch (err) {
    c.notes.push(
      `custom resources were not listed: reading CustomResourceDefinitions failed (${why(err)})`,
    );
    return [];
  }
}

/** Every object of the namespace, redacted, as YAML files. */
export async function namespaceObjects(
  o: BundleOptions,
  c: Collection,
  ns: string,
  kinds: [string, string][],
): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(o.kc);
  const errors: string[] = [];
  for (const [apiVersion, kind] of kinds) {
    let items: Item[];
    try {
      items = (await api.list(apiVersion, kind, ns)).items as Item[];
    } catch (err) {
      errors.push(`${kind} (${apiVersion}): ${why(err)}`);
      continue;
    }
    const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "core";
    for (const item of items) {
      const name = item.metadata?.name ?? "";
      const full = { apiVersion, kind, ...item };
      c.files.set(
        `namespaces/${ns}/objects/${group}/${kind}/${name}.yaml`,
        stringify(redactObject(full, c.red)),
      );
      if (kind === "Pod") c.pods.push(full as V1Pod);
      if (kind === "Job") c.jobs.push(full as V1Job);
    }
  }
  if (errors.length)
    c.files.set(`namespaces/${ns}/objects/NOT-LISTED.txt`, `${errors.join("\n")}\n`);
}

/** The namespace's events, sorted by time. */
export async function namespaceEvents(o: BundleOptions, c: Collection, ns: string): Promise<void> {
  let events: CoreV1Event[];
  try {
    events = (await o.kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: ns })).items;
  } catch (err) {
    c.notes.push(`the events of ${ns} could not be listed (${why(err)})`);
    return;
  }
  const at = (e: CoreV1Event) =>
    new Date(
      (e.lastTimestamp ??
        e.eventTime ??
        e.firstTimestamp ??
        e.metadata?.creationTimestamp ??
        0) as unknown as string,
    ).toISOString();
  events.sort((a, b) => at(a).localeCompare(at(b)));
  c.events.push(...events);
  const text = events.map(
    (e) =>
      `${at(e)} ${e.type} ${e.reason} ${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.message ?? ""}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ""}`,
  );
  c.files.set(`namespaces/${ns}/events.txt`, `${text.join("\n")}\n`);
}

/** Each container's log, current and previous; a note for simulated pods. */
export async function podLogs(o: BundleOptions, c: Collection, ns: string): Promise<void> {
  const core = o.kc.makeApiClient(CoreV1Api);
  const simulated: string[] = [];
  for (const p of c.pods.filter((x) => x.metadata?.namespace === ns)) {
    const name = p.metadata?.name ?? "";
    if (p.spec?.nodeName && c.kwokNodes.has(p.spec.nodeName)) {
      simulated.push(name);
      continue;
    }
    const statuses = [
      ...(p.status?.initContainerStatuses ?? []),
      ...(p.status?.containerStatuses ?? []),
    ];
    for (const cs of statuses) {
      const base = `namespaces/${ns}/logs/${name}/${cs.name}`;
      const runs = cs.restartCount > 0 || cs.lastState?.terminated ? [false, true] : [false];
      for (const previous of runs) {
        const file = `${base}${previous ? ".previous" : ""}.log`;
        try {
          const log = await core.readNamespacedPodLog({
            name,
            namespace: ns,
            container: cs.name,
            previous,
            tailLines: 5000,
          });
          c.files.set(file, log);
        } catch (err) {
          c.files.set(`${file}.unavailable`, `no log: ${why(err)}\n`);
        }
      }
    }
  }
  if (simulated.length > 0) {
    const note = `pod logs do not exist for ${simulated.length} pod(s) in ${ns}: they run on nodes kwok simulates, where no container runs (${simulated.join(", ")})`;
    c.notes.push(note);
    c.files.set(`namespaces/${ns}/logs/SIMULATED.txt`, `${note}\n`);
  }
}
