/**
 * Readiness of live workloads, and what keeps a pod from being ready, read from the objects'
 * status as the controllers and kubelets (or kwok) report it. Pure functions of the objects:
 * the watch feeds them, the diagnostics bundle reuses them.
 */
import type {
  CoreV1Event,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Pod,
  V1StatefulSet,
} from "@kubernetes/client-node";

/** The workload kinds readiness watches, and pods. */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"] as const;

/** One of WORKLOAD_KINDS. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A workload as readiness judges it. */
export interface WorkloadState {
  ready: boolean;
  /** Set when it cannot become ready any more (a Job that failed). */
  failed?: string;
  /** "1/1 available", "0/1 ready", "2/3 succeeded". */
  detail: string;
}

type Meta = { generation?: number };
type Status = { observedGeneration?: number };

function observed(meta: Meta | undefined, status: Status | undefined): boolean {
  return (status?.observedGeneration ?? 0) >= (meta?.generation ?? 0);
}

function deployment(d: V1Deployment): WorkloadState {
  const want = d.spec?.replicas ?? 1;
  const s = d.status;
  const available = s?.availableReplicas ?? 0;
  const ready =
    observed(d.metadata, s) &&
    (s?.updatedReplicas ?? 0) >= want &&
    available >= want &&
    (s?.replicas ?? 0) <= want;
  return { ready, detail: `${available}/${want} available` };
}

function statefulSet(s: V1StatefulSet): WorkloadState {
  const want = s.spec?.replicas ?? 1;
  const st = s.status;
  const readyReplicas = st?.readyReplicas ?? 0;
  const rolled = !st?.updateRevision || st.currentRevision === st.updateRevision;
  const ready =
    observed(s.metadata, st) &&
    readyReplicas >= want &&
    (st?.updatedReplicas ?? 0) >= want &&
    (rolled || s.spec?.updateStrategy?.type === "OnDelete");
  return { ready, detail: `${readyReplicas}/${want} ready` };
}

function daemonSet(d: V1DaemonSet): WorkloadState {
  const st = d.status;
  const want = st?.desiredNumberScheduled ?? 0;
  const readyCount = st?.numberReady ?? 0;
  const ready =
    observed(d.metadata, st) && readyCount >= want && (st?.updatedNumberScheduled ?? 0) >= want;
  return { ready, detail: `${readyCount}/${want} ready` };
}

function job(j: V1Job): WorkloadState {
  const cond = (type: string) =>
    j.status?.conditions?.find((c) => c.type === type && c.status === "True");
  const want = j.spec?.completions ?? 1;
  const detail = `${j.status?.succeeded ?? 0}/${want} succeeded`;
  const failed = cond("Failed");
  if (failed) {
    return {
      ready: false,
      failed: `Job failed: ${failed.reason ?? ""}${failed.message ? ` (${failed.message})` : ""}`,
      detail,
    };
  }
  return { ready: cond("Complete") !== undefined, detail };
}

function pod(p: V1Pod): WorkloadState {
  if (p.status?.phase === "Succeeded") return { ready: true, detail: "succeeded" };
  if (p.status?.phase === "Failed") {
    return { ready: false, failed: `pod failed: ${p.status.reason ?? "Failed"}`, detail: "failed" };
  }
  const ready = p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  return { ready: ready === true, detail: ready ? "ready" : (p.status?.phase ?? "Pending") };
}

/** Readiness of one live workload of `kind`. */
export function workloadState(kind: WorkloadKind, obj: unknown): WorkloadState {
  switch (kind) {
    case "Deployment":
      return deployment(obj as V1Deployment);
    case "StatefulSet":
      return statefulSet(obj as V1StatefulSet);
    case "DaemonSet":
      return daemonSet(obj as V1DaemonSet);
    case "Job":
      return job(obj as V1Job);
    case "Pod":
      return pod(obj as V1Pod);
  }
}

/** Container waiting reasons that mean something is wrong rather than starting. */
const BAD_WAITING = new Set([
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "CrashLoopBackOff",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

/** What keeps a pod from being ready, and since when. */
export interface PodProblem {
  /** "ImagePullBackOff (image registry.example/x:1): Back-off pulling image …". */
  reason: string;
  /** When it was first seen (event or condition time), ISO. */
  since?: string;
}

function eventTime(e: CoreV1Event): string | undefined {
  const t = e.firstTimestamp ?? e.eventTime ?? e.lastTimestamp ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).toISOString() : undefined;
}

/** The pod's most telling problem, or undefined when it is ready or just starting. */
export function podProblem(p: V1Pod, warnings: CoreV1Event[] = []): PodProblem | undefined {
  const first = (reasons: string[]) => warnings.find((e) => reasons.includes(e.reason ?? ""));
  const statuses = [
    ...(p.status?.initContainerStatuses ?? []),
    ...(p.status?.containerStatuses ?? []),
  ];
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    if (w?.reason && BAD_WAITING.has(w.reason)) {
      const image = w.reason.includes("Image") ? ` (image ${cs.image})` : "";
      const ev = first(["Failed", "BackOff"]);
      return {
        reason: `container ${cs.name}: ${w.reason}${image}${w.message ? `: ${w.message}` : ""}`,
        ...(ev ? { since: eventTime(ev) } : {}),
      };
    }
    const t = cs.state?.terminated ?? (cs.restartCount > 0 ? cs.lastState?.terminated : undefined);
    if (t && t.exitCode !== 0) {
      return {
        reason: `container ${cs.name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ""}${t.message ? `: ${t.message}` : ""}`,
        ...(t.finishedAt ? { since: new Date(t.finishedAt).toISOString() } : {}),
      };
    }
  }
  const cond = (type: string) => p.status?.conditions?.find((c) => c.type === type);
  const scheduled = cond("PodScheduled");
  if (scheduled?.status === "False") {
    return {
      reason: `Pending, not scheduled: ${scheduled.message ?? scheduled.reason ?? "unschedulable"}`,
      ...(scheduled.lastTransitionTime
        ? { since: new Date(scheduled.lastTransitionTime).toISOString() }
        : {}),
    };
  }
  const ready = cond("Ready");
  if (p.status?.phase === "Running" && ready?.status !== "True") {
    const probe = first(["Unhealthy"]);
    return {
      reason: `running but not ready${probe?.message ? `: ${probe.message}` : " (its readiness probe has not passed)"}`,
      ...(probe
        ? { since: eventTime(probe) }
        : ready?.lastTransitionTime
          ? { since: new Date(ready.lastTransitionTime).toISOString() }
          : {}),
    };
  }
  return undefined;
}

/** The workload that owns a pod (a ReplicaSet stands for its Deployment), or the pod itself. */
export function podOwner(p: V1Pod): { kind: WorkloadKind; name: string } {
  const ref =
    p.metadata?.ownerReferences?.find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
  const hash = p.metadata?.labels?.["pod-template-hash"];
  if (ref?.kind === "ReplicaSet") {
    const name =
      hash && ref.name.endsWith(`-${hash}`) ? ref.name.slice(0, -hash.length - 1) : ref.name;
    return { kind: "Deployment", name };
  }
  if (ref && (ref.kind === "StatefulSet" || ref.kind === "DaemonSet" || ref.kind === "Job")) {
    return { kind: ref.kind, name: ref.name };
  }
  return { kind: "Pod", name: p.metadata?.name ?? "" };
}

/** Whether a real container runtime started this pod's containers (kwok sets no container IDs). */
export function ranContainers(p: V1Pod): boolean {
  return (p.status?.containerStatuses ?? []).some((c) => Boolean(c.containerID));
}
