import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/objects.js";
import { describeWithTools } from "../helpers/tools.js";
import { chartContract, useHarness } from "./contract.js";
import {
  chartDir,
  ciScenarios,
  container,
  HELM_MAJORS,
  type HelmHarness,
  helmBinary,
  helmFailure,
  type Loose,
  notes,
  only,
  pod,
  render,
} from "./harness.js";

const CHART = chartDir("triton");
const ci = (name: string) => path.join(CHART, "ci", `${name}-values.yaml`);
const scenarios = await ciScenarios(CHART);
const SERVICE_MONITOR_API = "monitoring.coreos.com/v1/ServiceMonitor";

function server(objects: KubeObject[]): Loose {
  return container(pod(only(objects, "Deployment")), "tritonserver");
}

describe("triton CI scenarios", () => {
  it("cover the required cases", () => {
    const names = scenarios.map((f) => path.basename(f));
    for (const required of ["default", "ci", "pvc", "s3", "gpu"]) {
      expect(names).toContain(`${required}-values.yaml`);
    }
  });
});

for (const major of HELM_MAJORS) {
  describeWithTools(`triton chart (helm ${major})`, [helmBinary(major)], () => {
    const harness = useHarness(major);
    chartContract(harness, {
      chart: CHART,
      scenarios,
      workload: "Deployment",
      apiVersions: [SERVICE_MONITOR_API],
    });
    let h: HelmHarness;
    beforeAll(() => {
      h = harness();
    });

    describe("defaults", () => {
      let objects: KubeObject[];
      let spec: Loose;
      let triton: Loose;
      beforeAll(async () => {
        objects = await render(h.helm, CHART);
        spec = pod(only(objects, "Deployment"));
        triton = container(spec, "tritonserver");
      });

      it("uses the pinned image and standard labels", () => {
        expect(triton.image).toBe("nvcr.io/nvidia/tritonserver:26.07-py3");
        expect(only(objects, "Deployment").metadata.labels).toMatchObject({
          "app.kubernetes.io/name": "triton",
          "app.kubernetes.io/instance": "r",
          "app.kubernetes.io/version": "26.07-py3",
          "app.kubernetes.io/component": "inference-server",
          "app.kubernetes.io/managed-by": "Helm",
          "helm.sh/chart": "triton-0.1.0",
        });
      });

      it("exposes 8000 http, 8001 grpc and 8002 metrics on the pod and the Service", () => {
        expect(triton.ports).toEqual([
          { name: "http", containerPort: 8000, protocol: "TCP" },
          { name: "grpc", containerPort: 8001, protocol: "TCP" },
          { name: "metrics", containerPort: 8002, protocol: "TCP" },
        ]);
        const svc: Loose = only(objects, "Service", "r-triton");
        expect(svc.spec.type).toBe("ClusterIP");
        expect(svc.spec.ports.map((p: Loose) => [p.name, p.port, p.targetPort])).toEqual([
          ["http", 8000, "http"],
          ["grpc", 8001, "grpc"],
          ["metrics", 8002, "metrics"],
        ]);
        expect(triton.args).toEqual(
          expect.arrayContaining(["--http-port=8000", "--grpc-port=8001", "--metrics-port=8002"]),
        );
      });

      it("probes liveness on /v2/health/live and readiness and startup on /v2/health/ready", () => {
        expect(triton.livenessProbe.httpGet).toEqual({ path: "/v2/health/live", port: "http" });
        expect(triton.readinessProbe.httpGet).toEqual({ path: "/v2/health/ready", port: "http" });
        expect(triton.startupProbe.httpGet).toEqual({ path: "/v2/health/ready", port: "http" });
        expect(triton.startupProbe.failureThreshold * triton.startupProbe.periodSeconds).toBe(300);
      });

      it("runs on CPU: no nvidia.com/gpu anywhere in resources", () => {
        expect(triton.resources.limits).toEqual({ memory: "4Gi" });
        expect(triton.resources.requests).toEqual({ cpu: "1", memory: "2Gi" });
        expect(JSON.stringify(triton.resources)).not.toContain("nvidia.com/gpu");
        expect(triton.env).toContainEqual({ name: "NVIDIA_VISIBLE_DEVICES", value: "void" });
        expect(spec.runtimeClassName).toBeUndefined();
      });

      it("keeps the pod off the host network and unprivileged", () => {
        expect(spec.hostNetwork).toBe(false);
        expect(spec.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          fsGroup: 1000,
        });
        expect(triton.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(spec.volumes).toContainEqual({ name: "tmp", emptyDir: {} });
        expect(spec.volumes).toContainEqual({
          name: "shm",
          emptyDir: { medium: "Memory", sizeLimit: "512Mi" },
        });
      });

      it("serves the model repository from a PVC the chart creates", () => {
        const pvc: Loose = only(objects, "PersistentVolumeClaim", "r-triton-models");
        expect(pvc.spec.resources.requests.storage).toBe("10Gi");
        expect(spec.volumes).toContainEqual({
          name: "models",
          persistentVolumeClaim: { claimName: "r-triton-models" },
        });
        expect(triton.volumeMounts).toContainEqual({ name: "models", mountPath: "/models" });
        expect(triton.args).toEqual(
          expect.arrayContaining(["--model-repository=/models", "--model-control-mode=none"]),
        );
      });

      it("renders no HPA and no ServiceMonitor, even where the CRD exists", async () => {
        expect(objects.some((o) => o.kind === "HorizontalPodAutoscaler")).toBe(false);
        const withCrd = await render(h.helm, CHART, { apiVersions: [SERVICE_MONITOR_API] });
        expect(withCrd.some((o) => o.kind === "ServiceMonitor")).toBe(false);
        expect((only(objects, "Deployment") as Loose).spec.replicas).toBe(1);
      });

      it("renders a helm test pod that checks readiness through the Service", () => {
        const test: Loose = only(objects, "Pod");
        expect(test.metadata.annotations["helm.sh/hook"]).toBe("test");
        expect(test.spec.containers[0].command).toContain(
          "http://r-triton.shoppe.svc:8000/v2/health/ready",
        );
      });
    });

    it("ci scenario: init container fills an emptyDir, explicit model control", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("ci")] });
      only(objects, "Deployment", "triton");
      only(objects, "Service", "triton");
      expect(objects.some((o) => o.kind === "PersistentVolumeClaim")).toBe(false);
      const spec = pod(only(objects, "Deployment"));
      const fetch = container(spec, "fetch-models");
      expect(fetch.image).toBe("docker.io/library/busybox:1.38.0");
      expect(fetch.env).toContainEqual({ name: "MODEL_REPOSITORY", value: "/models" });
      expect(fetch.volumeMounts).toContainEqual({ name: "models", mountPath: "/models" });
      expect(spec.volumes).toContainEqual({ name: "models", emptyDir: { sizeLimit: "256Mi" } });
      const triton = container(spec, "tritonserver");
      expect(triton.args).toContain("--model-control-mode=explicit");
      expect(triton.resources.requests).toEqual({ cpu: "10m", memory: "128Mi" });
    });

    it("pvc scenario: an existing read-only claim, a sub-path, polling", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("pvc")] });
      expect(objects.some((o) => o.kind === "PersistentVolumeClaim")).toBe(false);
      const spec = pod(only(objects, "Deployment"));
      expect(spec.volumes).toContainEqual({
        name: "models",
        persistentVolumeClaim: { claimName: "shared-models", readOnly: true },
      });
      const triton = container(spec, "tritonserver");
      expect(triton.volumeMounts).toContainEqual({
        name: "models",
        mountPath: "/models",
        subPath: "triton",
        readOnly: true,
      });
      expect(triton.args).toEqual(
        expect.arrayContaining(["--model-control-mode=poll", "--repository-poll-secs=15"]),
      );
      expect((only(objects, "Deployment") as Loose).spec.replicas).toBe(2);
    });

    it("s3 scenario: the URL goes to Triton, the credentials only through secretKeyRef", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("s3")] });
      const spec = pod(only(objects, "Deployment"));
      const triton = container(spec, "tritonserver");
      expect(triton.args).toContain(
        "--model-repository=s3://minio.shoppe.svc:9000/triton-models/repository",
      );
      expect(triton.args).toEqual(
        expect.arrayContaining([
          "--load-model=simple",
          "--load-model=simple_identity",
          "--log-verbose=1",
        ]),
      );
      const env = Object.fromEntries(triton.env.map((e: Loose) => [e.name, e]));
      for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
        expect(env[name], name).toEqual({
          name,
          valueFrom: { secretKeyRef: { name: "triton-bucket", key: name } },
        });
      }
      expect(env.AWS_DEFAULT_REGION.value).toBe("us-east-1");
      expect(env.AWS_SESSION_TOKEN).toBeUndefined();
      expect(spec.volumes.some((v: Loose) => v.name === "models")).toBe(false);
      expect(objects.some((o) => o.kind === "PersistentVolumeClaim" || o.kind === "Secret")).toBe(
        false,
      );
    });

    it("gpu scenario: GPU limit, autoscaling/v2 HPA, ServiceMonitor only with the CRD", async () => {
      const without = await render(h.helm, CHART, { valuesFiles: [ci("gpu")] });
      expect(without.some((o) => o.kind === "ServiceMonitor")).toBe(false);
      const objects = await render(h.helm, CHART, {
        valuesFiles: [ci("gpu")],
        apiVersions: [SERVICE_MONITOR_API],
      });

      const deployment: Loose = only(objects, "Deployment");
      expect(deployment.spec.replicas).toBeUndefined();
      const spec = pod(deployment);
      const triton = container(spec, "tritonserver");
      expect(triton.resources.limits).toEqual({ memory: "16Gi", "nvidia.com/gpu": 1 });
      expect(triton.resources.requests["nvidia.com/gpu"]).toBeUndefined();
      expect(triton.env).toBeUndefined();
      expect(spec.runtimeClassName).toBe("nvidia");
      expect(spec.tolerations).toContainEqual({
        key: "nvidia.com/gpu",
        operator: "Exists",
        effect: "NoSchedule",
      });

      const hpa: Loose = only(objects, "HorizontalPodAutoscaler");
      expect(hpa.apiVersion).toBe("autoscaling/v2");
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "r-triton",
      });
      expect(hpa.spec.minReplicas).toBe(1);
      expect(hpa.spec.maxReplicas).toBe(4);
      expect(hpa.spec.metrics[0]).toEqual({
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } },
      });
      expect(hpa.spec.metrics[1].type).toBe("Pods");

      const sm: Loose = only(objects, "ServiceMonitor");
      expect(sm.apiVersion).toBe("monitoring.coreos.com/v1");
      expect(sm.metadata.labels.release).toBe("kube-prometheus-stack");
      expect(sm.spec.endpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "15s" }]);
      expect(sm.spec.selector.matchLabels).toEqual({
        "app.kubernetes.io/name": "triton",
        "app.kubernetes.io/instance": "r",
      });
    });

    it("sets the GPU limit from gpus and nothing else", async () => {
      const triton = server(await render(h.helm, CHART, { set: { gpus: "2" } }));
      expect(triton.resources.limits["nvidia.com/gpu"]).toBe(2);
      const out = await helmFailure(() =>
        render(h.helm, CHART, { set: { "resources.limits.nvidia\\.com/gpu": "1" } }),
      );
      expect(out).toContain("set gpus instead");
    });

    it("honours fullnameOverride, nameOverride and an image digest", async () => {
      const digest = `sha256:${"b".repeat(64)}`;
      const byFull = await render(h.helm, CHART, { set: { fullnameOverride: "triton" } });
      only(byFull, "Deployment", "triton");
      only(byFull, "Service", "triton");
      only(byFull, "PersistentVolumeClaim", "triton-models");
      const byName = await render(h.helm, CHART, {
        set: { nameOverride: "inference", "image.digest": digest },
      });
      const deployment: Loose = only(byName, "Deployment", "r-inference");
      expect(container(pod(deployment), "tritonserver").image).toBe(
        `nvcr.io/nvidia/tritonserver:26.07-py3@${digest}`,
      );
    });

    describe("values schema", () => {
      it("accepts the global key Helm injects into subcharts", async () => {
        only(await render(h.helm, CHART, { set: { "global.storageClass": "fast" } }), "Deployment");
      });

      it('rejects gpus: "two" and surfaces helm\'s schema error', async () => {
        const out = await helmFailure(() => render(h.helm, CHART, { set: { gpus: "two" } }));
        expect(out).toMatch(/schema/i);
        expect(out).toContain("gpus");
        expect(out).toMatch(/integer/);
      });

      it("accepts the enabled flag an umbrella's dependency condition passes down", async () => {
        const objects = await render(h.helm, CHART, { set: { enabled: "true" } });
        expect(objects.some((o) => o.kind === "Deployment")).toBe(true);
        const out = await helmFailure(() => render(h.helm, CHART, { set: { enabled: "yes" } }));
        expect(out).toContain("enabled");
      });

      it("rejects an unknown top-level key", async () => {
        const out = await helmFailure(() => render(h.helm, CHART, { set: { numGpus: "1" } }));
        expect(out).toContain("numGpus");
      });

      it("rejects an unknown model control mode", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { modelControlMode: "auto" } }),
        );
        expect(out).toContain("modelControlMode");
      });

      it("rejects an s3 source without a URL and Secret", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { "modelRepository.source": "s3" } }),
        );
        expect(out).toMatch(/url|existingSecret/);
      });

      it("rejects a non-s3 URL for the s3 source", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, {
            set: {
              "modelRepository.source": "s3",
              "modelRepository.s3.url": "http://minio:9000/bucket",
              "modelRepository.s3.existingSecret": "creds",
            },
          }),
        );
        expect(out).toContain("url");
      });

      it("rejects loadModels outside explicit mode", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { "loadModels[0]": "simple" } }),
        );
        expect(out).toContain("modelControlMode");
      });
    });
  });
}

// NOTES.txt is rendered only by install (`helm install --dry-run=client`), and helm 3.22's
// client-side dry run still asks a cluster for its version, so the NOTES checks run with
// helm 4 only. Install's default capabilities lack the
// Prometheus Operator CRD, which is what the ServiceMonitor warning needs.
describeWithTools("triton NOTES.txt (helm v4)", [helmBinary("v4")], () => {
  const harness = useHarness("v4");
  let h: HelmHarness;
  beforeAll(() => {
    h = harness();
  });

  it("lists the endpoints and the model repository by default", async () => {
    const text = await notes(h.helm, CHART);
    expect(text).toContain("http://r-triton.shoppe.svc:8000");
    expect(text).toContain("r-triton.shoppe.svc:8001");
    expect(text).toContain("http://r-triton.shoppe.svc:8002/metrics");
    expect(text).toContain("Model repository: /models (source: pvc, claim r-triton-models)");
    expect(text).toContain("Running on CPU only");
    expect(text).not.toContain("WARNING");
  });

  it("names the credentials Secret for s3", async () => {
    const text = await notes(h.helm, CHART, { valuesFiles: [ci("s3")] });
    expect(text).toContain("Model repository: s3://minio.shoppe.svc:9000/triton-models/repository");
    expect(text).toContain("Credentials come from Secret triton-bucket.");
  });

  it("reports GPUs and warns when the ServiceMonitor CRD is missing", async () => {
    const text = await notes(h.helm, CHART, { valuesFiles: [ci("gpu")] });
    expect(text).toContain("GPUs per pod: 1");
    expect(text).toContain(
      "WARNING: serviceMonitor.enabled is set, but this cluster does not serve",
    );
  });

  it.each([["ci"], ["pvc"]])("renders for the %s scenario", async (scenario) => {
    expect(await notes(h.helm, CHART, { valuesFiles: [ci(scenario)] })).toContain(
      "Endpoints inside the cluster",
    );
  });
});
