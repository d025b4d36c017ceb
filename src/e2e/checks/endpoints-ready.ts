/**
 * endpoints-ready (API level, every provider): every entry of the umbrella's endpoints
 * ConfigMap that names an in-cluster address names a Service that exists, offers that port,
 * and has at least one ready endpoint behind it. What a notebook reads from the wiring thus
 * leads somewhere; whether the service answers is for the live checks.
 */
import { CoreV1Api, DiscoveryV1Api, type V1Service } from "@kubernetes/client-node";
import type { Check, CheckOutcome, CheckTarget } from "./check.js";
import { INTEGRATION, kubeOf } from "./check.js";

/** An in-cluster address parsed from an endpoint value. */
export interface ServiceAddress {
  service: string;
  namespace: string;
  port: number | undefined;
}

const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#\s]+)(?::(\d{1,5}))?(?:[/?#].*)?$/;
const HOST_PORT = /^([a-z0-9][a-z0-9.-]*)(?::(\d{1,5}))?$/;

/**
 * The Service a value addresses (`http://mlflow.ns.svc:5000`, `xcache.ns.svc`, `xcache:1094`),
 * or a reason it addresses none (a bare port, a host outside the cluster).
 */
export function serviceAddress(value: string, namespace: string): ServiceAddress | string {
  const v = value.trim();
  if (/^\d+$/.test(v)) return "a port, not an address";
  const m = URL_SHAPE.exec(v) ?? HOST_PORT.exec(v);
  if (!m?.[1]) return "not an address";
  const labels = m[1].split(".");
  const port = m[2] ? Number(m[2]) : undefined;
  const service = labels[0] as string;
  if (labels.length === 1) return { service, namespace, port };
  const rest = labels.slice(2).join(".");
  if (labels.length >= 3 && (rest === "svc" || rest === "svc.cluster.local")) {
    return { service, namespace: labels[1] as string, port };
  }
  return `${m[1]} is not an in-cluster Service address`;
}

/** What is wrong with one address, or undefined when it has ready endpoints on that port. */
async function probe(
  t: CheckTarget,
  a: ServiceAddress,
): Promise<{ problem?: string; ready: number }> {
  const core = kubeOf(t).makeApiClient(CoreV1Api);
  let svc: V1Service;
  try {
    svc = await core.readNamespacedService({ name: a.service, namespace: a.namespace });
  } catch {
    return { problem: `Service ${a.namespace}/${a.service} does not exist`, ready: 0 };
  }
  const ports = svc.spec?.ports ?? [];
  const port = a.port === undefined ? undefined : ports.find((p) => p.port === a.port);
  if (a.port !== undefined && !port) {
    const offered = ports.map((p) => p.port).join(", ") || "none";
    return { problem: `Service ${a.service} has no port ${a.port} (ports: ${offered})`, ready: 0 };
  }
  const slices = await kubeOf(t)
    .makeApiClient(DiscoveryV1Api)
    .listNamespacedEndpointSlice({
      namespace: a.namespace,
      labelSelector: `kubernetes.io/service-name=${a.service}`,
    });
  let ready = 0;
  for (const s of slices.items) {
    const servesPort = !port || (s.ports ?? []).some((p) => (p.name ?? "") === (port.name ?? ""));
    if (!servesPort) continue;
    ready += s.endpoints.filter((e) => e.conditions?.ready === true).length;
  }
  if (ready === 0) {
    return {
      problem: `Service ${a.service} has no ready endpoint${port ? ` on port ${port.port}` : ""}`,
      ready,
    };
  }
  return { ready };
}

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const core = kubeOf(t).makeApiClient(CoreV1Api);
  let data: Record<string, string>;
  try {
    const cm = await core.readNamespacedConfigMap({
      name: t.endpointsConfigMap,
      namespace: t.namespace,
    });
    data = cm.data ?? {};
  } catch {
    return {
      status: "failed",
      reason: `the endpoints ConfigMap ${t.endpointsConfigMap} is not in namespace ${t.namespace}`,
      evidence: [],
    };
  }
  const evidence: string[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(data).sort()) {
    const value = data[key] as string;
    const a = serviceAddress(value, t.namespace);
    if (typeof a === "string") {
      evidence.push(`${key}=${value}: ${a}, not checked`);
      continue;
    }
    const r = await probe(t, a);
    if (r.problem) problems.push(`${key}: ${r.problem}`);
    evidence.push(
      `${key}=${value}: ${r.problem ?? `Service ${a.service}, ${r.ready} ready endpoint(s)`}`,
    );
  }
  if (problems.length > 0) return { status: "failed", reason: problems.join("; "), evidence };
  return { status: "passed", evidence };
}

/** See the module comment. */
export const endpointsReady: Check = {
  name: "endpoints-ready",
  component: INTEGRATION,
  description:
    "every address in the endpoints ConfigMap names a Service with that port and a ready endpoint",
  needs: ["api"],
  run,
};
