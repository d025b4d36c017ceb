import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { objectRef, parseManifests, podSpecOf } from "../../src/kube/objects.js";

const RENDERED = `---
# Source: shop/templates/endpoints.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: endpoints
---
# Source: shop/charts/mlflow/templates/deployment.yaml

apiVersion: apps/v1
kind: Deployment
metadata:
  name: mlflow
  namespace: ns
spec:
  template:
    spec:
      containers: [{ name: server, image: burakince/mlflow:3.15.1 }]
---
`;

describe("parseManifests", () => {
  it("keeps each object's helm # Source: template, with or without a blank line after it", () => {
    const objs = parseManifests(RENDERED);
    expect(objs.map((o) => o.source)).toEqual([
      "shop/templates/endpoints.yaml",
      "shop/charts/mlflow/templates/deployment.yaml",
    ]);
    expect(objs.map(objectRef)).toEqual(["ConfigMap/endpoints", "Deployment/ns/mlflow"]);
  });

  it("finds the pod spec of workloads", () => {
    const [, deploy] = parseManifests(RENDERED);
    expect(podSpecOf(deploy as never)?.containers).toHaveLength(1);
  });

  it("rejects a document that is not a Kubernetes object", () => {
    expect(() => parseManifests("foo: bar\n", "t")).toThrow(InputError);
    expect(() => parseManifests("foo: bar\n", "t")).toThrow(
      /lacks apiVersion, kind or metadata.name/,
    );
  });
});
