import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import {
  API_REMOVALS,
  describeRemovedApi,
  findRemovedApis,
  kubeMinor,
} from "../../src/kube/api-removals.js";
import { type KubeObject, parseManifests } from "../../src/kube/objects.js";

function obj(apiVersion: string, kind: string, name = "x", namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: namespace ? { name, namespace } : { name } };
}

describe("kubeMinor", () => {
  it.each([
    ["1.32.11", 1, 32],
    ["v1.33.7", 1, 33],
    ["1.34", 1, 34],
    ["1.35.0-rc.1", 1, 35],
    ["v1.26.3+k3s1", 1, 26],
  ])("reads %s as %i.%i", (v, major, minor) => {
    expect(kubeMinor(v)).toEqual({ major, minor });
  });

  it.each(["", "1", "latest", "1.x.0", "one.two"])("rejects %j with an InputError", (v) => {
    expect(() => kubeMinor(v)).toThrow(InputError);
    expect(() => kubeMinor(v)).toThrow(/failed to parse Kubernetes version/);
  });
});

describe("findRemovedApis", () => {
  it("flags autoscaling/v2beta2 (Triton's example chart) from 1.26 on, not before", () => {
    const hpa = obj("autoscaling/v2beta2", "HorizontalPodAutoscaler", "triton", "ml");
    expect(findRemovedApis([hpa], "1.25.16")).toEqual([]);
    const found = findRemovedApis([hpa], "1.26.0");
    expect(found).toHaveLength(1);
    expect(found[0]?.object).toBe(hpa);
    expect(found[0]?.ref).toBe("HorizontalPodAutoscaler/ml/triton");
    expect(found[0]?.removal).toMatchObject({ removedIn: "1.26", replacement: "autoscaling/v2" });
    expect(findRemovedApis([hpa], "v1.35.4")).toHaveLength(1);
  });

  it("knows the version that removed each well-known API", () => {
    const cases: [string, string, string][] = [
      ["extensions/v1beta1", "Deployment", "1.16"],
      ["apps/v1beta2", "StatefulSet", "1.16"],
      ["extensions/v1beta1", "Ingress", "1.22"],
      ["networking.k8s.io/v1beta1", "Ingress", "1.22"],
      ["rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "1.22"],
      ["apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22"],
      ["batch/v1beta1", "CronJob", "1.25"],
      ["policy/v1beta1", "PodDisruptionBudget", "1.25"],
      ["policy/v1beta1", "PodSecurityPolicy", "1.25"],
      ["autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25"],
      ["autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26"],
      ["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26"],
      ["storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27"],
      ["flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29"],
      ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32"],
    ];
    for (const [apiVersion, kind, removedIn] of cases) {
      const o = obj(apiVersion, kind);
      const minor = Number(removedIn.split(".")[1]);
      expect(findRemovedApis([o], `1.${minor - 1}.9`), `${apiVersion} ${kind} before`).toEqual([]);
      expect(
        findRemovedApis([o], `1.${minor}.0`)[0]?.removal.removedIn,
        `${apiVersion} ${kind}`,
      ).toBe(removedIn);
    }
  });

  it("matches on kind as well as apiVersion", () => {
    // storage.k8s.io/v1beta1 StorageClass went in 1.22, CSIStorageCapacity only in 1.27.
    const capacity = obj("storage.k8s.io/v1beta1", "CSIStorageCapacity");
    const storageClass = obj("storage.k8s.io/v1beta1", "StorageClass");
    expect(findRemovedApis([capacity, storageClass], "1.24").map((f) => f.object)).toEqual([
      storageClass,
    ]);
    // A custom resource in a group Kubernetes does not own is never flagged.
    expect(findRemovedApis([obj("monitoring.coreos.com/v1", "ServiceMonitor")], "1.35")).toEqual(
      [],
    );
  });

  it("passes everything the first-party charts render on supported versions", () => {
    const served = [
      obj("apps/v1", "StatefulSet"),
      obj("apps/v1", "Deployment"),
      obj("v1", "Service"),
      obj("v1", "ConfigMap"),
      obj("v1", "PersistentVolumeClaim"),
      obj("autoscaling/v2", "HorizontalPodAutoscaler"),
      obj("policy/v1", "PodDisruptionBudget"),
      obj("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
    ];
    expect(findRemovedApis(served, "1.35.4")).toEqual([]);
  });

  it("reports findings in input order, from parsed helm output", () => {
    const objects = parseManifests(
      [
        "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok}",
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly, namespace: jobs}",
      ].join("\n---\n"),
    );
    const found = findRemovedApis(objects, "1.32.11");
    expect(found.map(describeRemovedApi)).toEqual([
      "PodSecurityPolicy/restricted: policy/v1beta1 was removed in Kubernetes 1.25; it has no replacement",
      "CronJob/jobs/nightly: batch/v1beta1 was removed in Kubernetes 1.25; use batch/v1",
    ]);
  });

  it("throws on an unparsable target version", () => {
    expect(() => findRemovedApis([], "next")).toThrow(InputError);
  });
});

describe("API_REMOVALS", () => {
  it("is ordered by release and has no duplicate apiVersion/kind pair", () => {
    const minors = API_REMOVALS.map((r) => kubeMinor(r.removedIn).minor);
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
    const pairs = API_REMOVALS.flatMap((r) => r.kinds.map((k) => `${r.apiVersion} ${k}`));
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it("never names a replacement that is itself removed", () => {
    for (const r of API_REMOVALS) {
      if (r.replacement === "none") continue;
      for (const kind of r.kinds) {
        const replaced = { apiVersion: r.replacement, kind, metadata: { name: "x" } };
        const later = findRemovedApis([replaced], "1.35");
        // extensions/v1beta1 PodSecurityPolicy moved to policy/v1beta1, itself removed in 1.25.
        if (kind === "PodSecurityPolicy") expect(later).toHaveLength(1);
        else expect(later, `${r.apiVersion} ${kind} → ${r.replacement}`).toEqual([]);
      }
    }
  });
});
