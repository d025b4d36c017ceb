/** Image references, discovery with provenance, and drift against pins (no helm needed). */
import { describe, expect, it } from "vitest";
import type { AttributionScope } from "../../src/inspect/attribution.js";
import { attribute } from "../../src/inspect/attribution.js";
import {
  familiarImageRef,
  formatImageRef,
  normaliseName,
  parseImageRef,
  pinnedRef,
  sameImage,
} from "../../src/inspect/image-ref.js";
import { compareImages, deployedImages, referencesTo } from "../../src/inspect/images.js";
import type { KubeObject } from "../../src/kube/objects.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;

describe("image references", () => {
  it.each([
    ["alpine", "docker.io/library/alpine:latest"],
    ["alpine:3.6", "docker.io/library/alpine:3.6"],
    ["library/alpine:3.6", "docker.io/library/alpine:3.6"],
    ["docker.io/library/alpine:3.6", "docker.io/library/alpine:3.6"],
    ["index.docker.io/library/alpine:3.6", "docker.io/library/alpine:3.6"],
    ["sslhep/servicex_app:v1.5.3", "docker.io/sslhep/servicex_app:v1.5.3"],
    ["quay.io/jupyterhub/k8s-hub:4.4.1", "quay.io/jupyterhub/k8s-hub:4.4.1"],
    ["localhost/x:1", "localhost/x:1"],
    ["127.0.0.1:5000/team/x:1", "127.0.0.1:5000/team/x:1"],
    ["registry:5000/x", "registry:5000/x:latest"],
    [`alpine@${D1}`, `docker.io/library/alpine@${D1}`],
    [`alpine:3.6@${D1}`, `docker.io/library/alpine:3.6@${D1}`],
  ])("%s → %s", (ref, canonical) => {
    expect(formatImageRef(parseImageRef(ref))).toBe(canonical);
  });

  it("prints the familiar short form", () => {
    expect(familiarImageRef(parseImageRef("docker.io/library/alpine:3.6"))).toBe("alpine:3.6");
    expect(familiarImageRef(parseImageRef("docker.io/sslhep/x:v1"))).toBe("sslhep/x:v1");
    expect(familiarImageRef(parseImageRef("nvcr.io/nvidia/tritonserver:26.07-py3"))).toBe(
      "nvcr.io/nvidia/tritonserver:26.07-py3",
    );
  });

  it("matches tags with tags and digests with digests", () => {
    const pinTag = pinnedRef({ repository: "docker.io/library/alpine", tag: "3.6" });
    const pinBoth = pinnedRef({ repository: "alpine", tag: "3.6", digest: D1 });
    expect(sameImage(parseImageRef("alpine:3.6"), pinTag)).toBe(true);
    expect(sameImage(parseImageRef("alpine:3.7"), pinTag)).toBe(false);
    expect(sameImage(parseImageRef("busybox:3.6"), pinTag)).toBe(false);
    // Deployed by digest: only a pin that records that digest matches.
    expect(sameImage(parseImageRef(`alpine@${D1}`), pinTag)).toBe(false);
    expect(sameImage(parseImageRef(`alpine@${D1}`), pinBoth)).toBe(true);
    expect(sameImage(parseImageRef(`alpine@${D2}`), pinBoth)).toBe(false);
    expect(sameImage(parseImageRef(`alpine:3.6@${D2}`), pinBoth)).toBe(false);
    expect(sameImage(parseImageRef("alpine:3.6"), pinBoth)).toBe(true);
  });

  it("normalises names only", () => {
    expect(normaliseName("busybox")).toBe("docker.io/library/busybox");
  });
});

const scope: AttributionScope = {
  umbrella: "facility",
  components: { servicex: "servicex", mlflow: "mlflow", "coffea-casa": "coffea-casa" },
};

function deployment(
  name: string,
  source: string,
  spec: Record<string, unknown>,
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: { template: { spec } },
    source,
    ...extra,
  };
}

const objects: KubeObject[] = [
  deployment("facility-servicex-app", "facility/charts/servicex/templates/app.yaml", {
    initContainers: [{ name: "wait", image: "alpine:3.6" }],
    containers: [
      {
        name: "app",
        image: "sslhep/servicex_app:v1.5.3",
        env: [{ name: "SIDECAR", value: "sslhep/sidecar:v1" }],
      },
    ],
    ephemeralContainers: [{ name: "debug", image: "busybox:1.36" }],
  }),
  {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "cleanup" },
    spec: {
      jobTemplate: {
        spec: { template: { spec: { containers: [{ name: "c", image: "alpine:3.6" }] } } },
      },
    },
    source: "facility/charts/servicex/charts/minio/templates/cleanup.yaml",
  },
  {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "mlflow-test", annotations: { "helm.sh/hook": "test" } },
    spec: { containers: [{ name: "t", image: "busybox:1.38.0" }] },
    source: "facility/charts/mlflow/templates/tests/t.yaml",
  },
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cfg" },
    data: { conf: "IMAGE='quay.io/x/runtime:2'\n" },
  },
];

describe("deployedImages", () => {
  it("finds containers, init and ephemeral containers, with provenance, and skips helm tests", () => {
    const notes: string[] = [];
    const found = deployedImages(objects, scope, notes);
    expect(found.map((d) => d.image)).toEqual([
      "alpine:3.6",
      "busybox:1.36",
      "sslhep/servicex_app:v1.5.3",
    ]);
    expect(found[0]?.uses).toEqual([
      {
        component: "servicex",
        object: "Deployment/facility-servicex-app",
        container: "wait",
        list: "initContainers",
        path: "spec.template.spec.initContainers[0]",
      },
      {
        component: "servicex",
        object: "CronJob/cleanup",
        container: "c",
        list: "containers",
        path: "spec.jobTemplate.spec.template.spec.containers[0]",
      },
    ]);
    expect(found[1]?.uses[0]?.list).toBe("ephemeralContainers");
    expect(notes).toEqual(["Pod/mlflow-test is a helm test hook: its images are not counted"]);
  });

  it("finds references to an image in any string value", () => {
    expect(referencesTo(objects, parseImageRef("quay.io/x/runtime:2"))).toEqual([
      "ConfigMap/cfg data.conf",
    ]);
    expect(referencesTo(objects, parseImageRef("docker.io/sslhep/sidecar:v1"))).toEqual([
      "Deployment/facility-servicex-app spec.template.spec.containers[0].env[0].value",
    ]);
    expect(referencesTo(objects, parseImageRef("quay.io/x/runtime:3"))).toEqual([]);
  });
});

describe("compareImages", () => {
  const pin = (
    component: string,
    name: string,
    repository: string,
    tag: string,
    enabled = true,
  ) => ({
    component,
    name,
    ref: pinnedRef({ repository, tag }),
    enabled,
  });

  it("reports deployed-but-unpinned and pinned-but-missing images as drift", () => {
    const drift = compareImages(
      objects,
      [
        pin("servicex", "app", "sslhep/servicex_app", "v1.5.3"),
        pin("servicex", "checks", "docker.io/library/alpine", "3.6"),
        pin("servicex", "runtime", "quay.io/x/runtime", "2"),
        pin("servicex", "gone", "sslhep/servicex-did-finder", "v1.5.3"),
        pin("triton", "server", "nvcr.io/nvidia/tritonserver", "26.07-py3", false),
      ],
      scope,
    );
    expect(drift.unpinned.map((d) => d.image)).toEqual(["busybox:1.36"]);
    expect(drift.missing.map((m) => `${m.component}.${m.name}`)).toEqual(["servicex.gone"]);
    expect(Object.fromEntries(drift.pins.map((p) => [p.name, p.status]))).toEqual({
      app: "deployed",
      checks: "deployed",
      runtime: "referenced",
      gone: "missing",
      server: "disabled",
    });
    expect(drift.deployed.find((d) => d.image === "alpine:3.6")?.pinnedBy).toEqual([
      "servicex.checks",
    ]);
  });
});

describe("attribute", () => {
  it("uses the source path first, nested subcharts included", () => {
    expect(attribute(objects[1] as KubeObject, scope)).toEqual({
      component: "servicex",
      via: "source",
    });
  });

  it("falls back to labels, then to naming", () => {
    const byLabel: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "x", labels: { "helm.sh/chart": "mlflow-1.11.5" } },
    };
    expect(attribute(byLabel, scope)).toEqual({ component: "mlflow", via: "label" });
    const byName: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "r-servicex-app" },
    };
    expect(attribute(byName, scope)).toEqual({ component: "servicex", via: "name" });
    const umbrella: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "facility-endpoints" },
      source: "facility/templates/endpoints.yaml",
    };
    expect(attribute(umbrella, scope)).toEqual({ component: "(umbrella)", via: "source" });
  });
});
