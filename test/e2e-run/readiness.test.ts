/**
 * Readiness from recorded objects, the way the watch feeds them: a component is ready when all
 * its workloads are, waits naming what keeps it (ImagePullBackOff with the image, the
 * scheduler's message, a failing probe), fails at its own timeout or at once when a Job fails,
 * and never counts the release an upgrade replaced as ready.
 */
import type { V1Deployment, V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ReadinessTracker } from "../../src/e2e/readiness/tracker.js";
import {
  podOwner,
  podProblem,
  ranContainers,
  workloadState,
} from "../../src/e2e/readiness/workloads.js";

const T0 = Date.parse("2026-12-01T12:00:00Z");

function deployment(name: string, available: number, generation = 1, observed = 1): V1Deployment {
  return {
    metadata: { name, generation },
    spec: { replicas: 1, selector: {}, template: {} },
    status: {
      observedGeneration: observed,
      replicas: 1,
      updatedReplicas: available,
      availableReplicas: available,
    },
  };
}

function pod(
  name: string,
  owner: { kind: string; name: string },
  status: V1Pod["status"],
  hash?: string,
): V1Pod {
  return {
    metadata: {
      name,
      labels: hash ? { "pod-template-hash": hash } : {},
      ownerReferences: [
        { apiVersion: "apps/v1", kind: owner.kind, name: owner.name, uid: "u", controller: true },
      ],
    },
    spec: { containers: [] },
    status,
  };
}

const pulling = pod(
  "web-7d9-x",
  { kind: "ReplicaSet", name: "web-7d9" },
  {
    phase: "Pending",
    containerStatuses: [
      {
        name: "web",
        image: "example.org/web:1",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: {
          waiting: {
            reason: "ImagePullBackOff",
            message: 'Back-off pulling image "example.org/web:1"',
          },
        },
      },
    ],
  },
  "7d9",
);

describe("workloads", () => {
  it("judges a Deployment on its observed generation, updated and available replicas", () => {
    expect(workloadState("Deployment", deployment("web", 1))).toEqual({
      ready: true,
      detail: "1/1 available",
    });
    expect(workloadState("Deployment", deployment("web", 1, 2, 1)).ready).toBe(false);
    expect(workloadState("Deployment", deployment("web", 0)).ready).toBe(false);
  });

  it("fails a Job at once when it failed, with the controller's reason", () => {
    const job: V1Job = {
      metadata: { name: "init" },
      spec: { template: {} },
      status: {
        conditions: [
          {
            type: "Failed",
            status: "True",
            reason: "BackoffLimitExceeded",
            message: "Job has reached the specified backoff limit",
          },
        ],
      },
    };
    expect(workloadState("Job", job)).toEqual({
      ready: false,
      failed: "Job failed: BackoffLimitExceeded (Job has reached the specified backoff limit)",
      detail: "0/1 succeeded",
    });
  });

  it("names a pod's problem: the image it cannot pull, the scheduler's message, a failing probe, a crash", () => {
    expect(podProblem(pulling)?.reason).toBe(
      'container web: ImagePullBackOff (image example.org/web:1): Back-off pulling image "example.org/web:1"',
    );
    const pending = pod(
      "p",
      { kind: "StatefulSet", name: "s" },
      {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/2 nodes are available: 2 Insufficient nvidia.com/gpu.",
          },
        ],
      },
    );
    expect(podProblem(pending)?.reason).toBe(
      "Pending, not scheduled: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.",
    );
    const unready = pod(
      "u",
      { kind: "StatefulSet", name: "s" },
      { phase: "Running", conditions: [{ type: "Ready", status: "False" }] },
    );
    expect(
      podProblem(unready, [
        {
          reason: "Unhealthy",
          message: "Readiness probe failed: 503",
          metadata: {},
          involvedObject: {},
        },
      ])?.reason,
    ).toBe("running but not ready: Readiness probe failed: 503");
    const crashing = pod(
      "c",
      { kind: "DaemonSet", name: "d" },
      {
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            image: "i",
            imageID: "",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, reason: "Error" } },
          },
        ],
      },
    );
    expect(podProblem(crashing)?.reason).toBe("container app: CrashLoopBackOff");
    expect(
      podProblem(pod("ok", { kind: "Job", name: "j" }, { phase: "Succeeded" })),
    ).toBeUndefined();
  });

  it("finds the workload that owns a pod, a ReplicaSet standing for its Deployment", () => {
    expect(podOwner(pulling)).toEqual({ kind: "Deployment", name: "web" });
    expect(podOwner(pod("s-0", { kind: "StatefulSet", name: "s" }, {}))).toEqual({
      kind: "StatefulSet",
      name: "s",
    });
    expect(podOwner({ metadata: { name: "bare" } })).toEqual({ kind: "Pod", name: "bare" });
  });

  it("tells real containers (a runtime's container ID) from simulated ones", () => {
    const real = pod(
      "r",
      { kind: "Job", name: "j" },
      {
        containerStatuses: [
          {
            name: "a",
            image: "i",
            imageID: "",
            ready: true,
            restartCount: 0,
            containerID: "containerd://abc",
          },
        ],
      },
    );
    expect(ranContainers(real)).toBe(true);
    expect(ranContainers(pulling)).toBe(false);
  });
});

describe("readiness tracker", () => {
  const expected = [
    { component: "web", kind: "Deployment" as const, name: "web" },
    { component: "store", kind: "StatefulSet" as const, name: "store" },
  ];

  it("waits, then reports each component ready on its own", () => {
    const t = new ReadinessTracker(expected, ["web", "store", "docs"], T0, 60_000);
    let views = t.evaluate(T0);
    expect(views.map((v) => [v.id, v.state])).toEqual([
      ["web", "waiting"],
      ["store", "waiting"],
      ["docs", "ready"],
    ]);
    expect(views[2]?.detail).toBe("no workloads");
    t.upsert("Deployment", deployment("web", 1));
    views = t.evaluate(T0 + 1_000);
    expect(views[0]).toMatchObject({ state: "ready", readyAt: T0 + 1_000 });
    expect(views[1]?.detail).toBe("StatefulSet store: not created yet");
    expect(ReadinessTracker.settled(views)).toBe(false);
  });

  it("fails a component at its timeout with what kept it, and remembers when the problem began", () => {
    const t = new ReadinessTracker(expected.slice(0, 1), ["web"], T0, 10_000);
    t.upsert("Deployment", deployment("web", 0));
    t.upsert("Pod", pulling);
    t.warning({
      reason: "Failed",
      message: "Failed to pull image",
      firstTimestamp: new Date(T0 + 2_000),
      metadata: {},
      involvedObject: { kind: "Pod", name: "web-7d9-x" },
    });
    expect(t.evaluate(T0 + 5_000)[0]?.state).toBe("waiting");
    const [view] = t.evaluate(T0 + 10_000);
    expect(view?.state).toBe("failed");
    expect(view?.detail).toBe(
      'not ready after 10s: Deployment web: 0/1 available; pod web-7d9-x: container web: ImagePullBackOff (image example.org/web:1): Back-off pulling image "example.org/web:1"',
    );
    expect(view?.firstProblemAt).toBe(T0 + 2_000);
    expect(ReadinessTracker.settled([view as NonNullable<typeof view>])).toBe(true);
  });

  it("does not call an upgrade ready on the strength of the release it replaced", () => {
    const t = new ReadinessTracker(
      expected.slice(0, 1),
      ["web"],
      T0,
      60_000,
      new Map([["Deployment/web", 2]]),
    );
    t.upsert("Deployment", deployment("web", 1)); // the old generation, still ready
    expect(t.evaluate(T0)[0]).toMatchObject({
      state: "waiting",
      detail: "Deployment web: change not seen yet",
    });
    t.upsert("Deployment", deployment("web", 1, 2, 2));
    expect(t.evaluate(T0 + 500)[0]?.state).toBe("ready");
  });

  it("fails a component whose Job failed without waiting for the timeout", () => {
    const t = new ReadinessTracker(
      [{ component: "store", kind: "Job", name: "init" }],
      ["store"],
      T0,
      600_000,
    );
    t.upsert("Job", {
      metadata: { name: "init" },
      status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] },
    } as V1Job);
    expect(t.evaluate(T0 + 1)[0]).toMatchObject({
      state: "failed",
      detail: "Job failed: BackoffLimitExceeded",
    });
  });
});
