/** Resource sums over synthetic workloads: replicas, init and sidecar phases, claims, GPUs, hooks. */
import { describe, expect, it } from "vitest";
import type { AttributionScope } from "../../src/inspect/attribution.js";
import { parseQuantity } from "../../src/inspect/quantity.js";
import { summariseResources } from "../../src/inspect/resources.js";
import { replicasOf } from "../../src/inspect/workloads.js";
import type { KubeObject } from "../../src/kube/objects.js";

const q = parseQuantity;
const scope: AttributionScope = { umbrella: "u", components: { a: "a", b: "b" } };

function workload(
  kind: string,
  name: string,
  component: string,
  spec: Record<string, unknown>,
  podSpec: Record<string, unknown>,
): KubeObject {
  const template = { template: { spec: podSpec } };
  const body =
    kind === "Pod"
      ? podSpec
      : kind === "CronJob"
        ? { ...spec, jobTemplate: { spec: { ...template } } }
        : { ...spec, ...template };
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name },
    spec: body,
    source: `u/charts/${component}/templates/${name}.yaml`,
  };
}

const res = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({
  requests: { cpu, memory },
  limits: { cpu, memory, ...extra },
});

describe("summariseResources", () => {
  it("multiplies by replicas and sums per component and in total", () => {
    const s = summariseResources(
      [
        workload(
          "Deployment",
          "web",
          "a",
          { replicas: 3 },
          { containers: [{ name: "c", resources: res("100m", "128Mi") }] },
        ),
        workload(
          "StatefulSet",
          "db",
          "b",
          {
            replicas: 2,
            volumeClaimTemplates: [
              {
                metadata: { name: "data" },
                spec: { resources: { requests: { storage: "10Gi" } } },
              },
              { metadata: { name: "wal" }, spec: { resources: { requests: { storage: "1Gi" } } } },
            ],
          },
          { containers: [{ name: "c", resources: res("1", "1Gi") }] },
        ),
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: "shared" },
          spec: { resources: { requests: { storage: "5Gi" } } },
          source: "u/charts/a/templates/pvc.yaml",
        },
      ],
      scope,
    );
    expect(s.components.a?.cpuRequests).toBe(q("300m"));
    expect(s.components.a?.memoryLimits).toBe(q("384Mi"));
    expect(s.components.a?.storage).toBe(q("5Gi"));
    expect(s.components.a?.pods).toBe(3);
    expect(s.components.b?.cpuRequests).toBe(q("2"));
    expect(s.components.b?.storage).toBe(q("22Gi"));
    expect(s.total.cpuRequests).toBe(q("2300m"));
    expect(s.total.storage).toBe(q("27Gi"));
    expect(s.total.pods).toBe(5);
  });

  it("takes the larger of the init phase and the app phase, with native sidecars in both", () => {
    const s = summariseResources(
      [
        workload(
          "Deployment",
          "w",
          "a",
          {},
          {
            initContainers: [
              {
                name: "sidecar",
                restartPolicy: "Always",
                resources: { requests: { cpu: "100m", memory: "64Mi" } },
              },
              { name: "migrate", resources: { requests: { cpu: "2", memory: "64Mi" } } },
            ],
            containers: [
              { name: "app", resources: { requests: { cpu: "500m", memory: "1Gi" } } },
              { name: "proxy", resources: { requests: { cpu: "250m", memory: "128Mi" } } },
            ],
          },
        ),
      ],
      scope,
    );
    // CPU: init phase 2 + 100m (sidecar started first) beats 750m + 100m; memory: app phase wins.
    expect(s.components.a?.cpuRequests).toBe(q("2100m"));
    expect(s.components.a?.memoryRequests).toBe(q("1Gi") + q("128Mi") + q("64Mi"));
  });

  it("defaults requests to limits and counts GPUs from limits", () => {
    const s = summariseResources(
      [
        workload(
          "Deployment",
          "gpu",
          "a",
          { replicas: 2 },
          {
            containers: [
              { name: "c", resources: { limits: { cpu: 2, memory: "4Gi", "nvidia.com/gpu": 1 } } },
            ],
          },
        ),
      ],
      scope,
    );
    expect(s.components.a?.cpuRequests).toBe(q("4"));
    expect(s.components.a?.memoryRequests).toBe(q("8Gi"));
    expect(s.components.a?.gpus).toBe(q("2"));
  });

  it("counts Jobs by parallelism, DaemonSets once (noted), and leaves hooks out", () => {
    const hook = workload(
      "Job",
      "migrate",
      "a",
      {},
      { containers: [{ name: "c", resources: res("8", "8Gi") }] },
    );
    hook.metadata.annotations = { "helm.sh/hook": "pre-install,pre-upgrade" };
    const s = summariseResources(
      [
        workload(
          "Job",
          "batch",
          "a",
          { parallelism: 4 },
          { containers: [{ name: "c", resources: res("1", "1Gi") }] },
        ),
        workload(
          "CronJob",
          "nightly",
          "a",
          {},
          { containers: [{ name: "c", resources: res("1", "1Gi") }] },
        ),
        workload(
          "DaemonSet",
          "agent",
          "b",
          {},
          { containers: [{ name: "c", resources: res("50m", "64Mi") }] },
        ),
        hook,
      ],
      scope,
    );
    expect(s.components.a?.cpuRequests).toBe(q("5"));
    expect(s.components.b?.cpuRequests).toBe(q("50m"));
    expect(s.notes).toEqual([
      "DaemonSet/agent is a DaemonSet: its amounts are per node and counted once",
      "Job/migrate is a helm hook (pre-install,pre-upgrade): left out",
    ]);
  });

  it("notes quantities that do not parse instead of failing", () => {
    const s = summariseResources(
      [
        workload(
          "Deployment",
          "bad",
          "a",
          {},
          { containers: [{ name: "c", resources: { requests: { cpu: "lots" } } }] },
        ),
      ],
      scope,
    );
    expect(s.components.a?.cpuRequests).toBe(0n);
    expect(s.notes[0]).toContain('"lots" is not a Kubernetes quantity');
  });
});

describe("replicasOf", () => {
  it("reads replicas and defaults them to one", () => {
    expect(
      replicasOf({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: {} }),
    ).toEqual({ count: 1, perNode: false });
    expect(
      replicasOf({
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "x" },
        spec: { replicas: 0 },
      }),
    ).toEqual({ count: 0, perNode: false });
    expect(
      replicasOf({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "x" }, spec: {} }),
    ).toEqual({ count: 1, perNode: true });
  });
});

describe("summariseResources with component ids named like Object.prototype members", () => {
  it("sums a component called constructor from zero", () => {
    const s = summariseResources(
      [
        workload(
          "Deployment",
          "web",
          "constructor",
          { replicas: 2 },
          { containers: [{ name: "c", resources: res("100m", "128Mi") }] },
        ),
      ],
      { umbrella: "u", components: { constructor: "constructor" } },
    );
    expect(s.components.constructor).toMatchObject({ cpuRequests: q("200m"), pods: 2 });
  });
});
