/**
 * Deriving image tags from chart metadata, purely: images named by the artifacthub.io/images
 * annotation and by values (ServiceX's and z2jh's real archives), a pin followed from its
 * location in the current release to the same location in the new one (also through a
 * registry or organisation mirror such as bitnamilegacy), ambiguity reported rather than
 * guessed, and the stack values that repeat a changed image.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readChartArchive } from "../../src/helm/chart-archive.js";
import { StackSchema } from "../../src/manifest/schema.js";
import { annotationImages, type ChartImage, valuesImages } from "../../src/updates/chart-images.js";
import { bumpImage, newlyNamed } from "../../src/updates/image-bumps.js";
import { valueEdits } from "../../src/updates/value-edits.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const img = (location: string, repository: string, tag: string): ChartImage => ({
  location,
  repository,
  tag,
});
const pin = (name: string, repository: string, tag: string) => ({ name, repository, tag });

describe("annotationImages", () => {
  it("reads the annotation's list by entry name; no annotation is undefined", () => {
    const text =
      "- name: mlflow\n  image: burakince/mlflow:3.15.1\n- name: init\n  image: library/busybox:1.38.0\n";
    expect(annotationImages({ "artifacthub.io/images": text })).toEqual([
      img("annotation:mlflow", "docker.io/burakince/mlflow", "3.15.1"),
      img("annotation:init", "docker.io/library/busybox", "1.38.0"),
    ]);
    expect(annotationImages({})).toBeUndefined();
    expect(annotationImages({ "artifacthub.io/images": "{{ not yaml" })).toBeUndefined();
  });
});

describe("bumpImage", () => {
  const current = [
    img("app", "docker.io/sslhep/servicex_app", "v1.5.2"),
    img("codeGen.atlasr21.defaultScienceContainer", "docker.io/sslhep/xaod", "21.2.231"),
    img("codeGen.atlasr22.defaultScienceContainer", "docker.io/sslhep/xaod", "22.2.107"),
    img("rabbitmq/image", "docker.io/bitnami/rabbitmq", "3.11.6-debian-11-r0"),
  ];
  const next = [
    img("app", "docker.io/sslhep/servicex_app", "v1.5.3"),
    img("codeGen.atlasr21.defaultScienceContainer", "docker.io/sslhep/xaod", "21.2.232"),
    img("codeGen.atlasr22.defaultScienceContainer", "docker.io/sslhep/xaod", "22.2.107"),
    img("rabbitmq/image", "docker.io/bitnami/rabbitmq", "3.11.7-debian-11-r0"),
  ];

  it("follows each pin to its location in the new release", () => {
    expect(bumpImage(pin("app", "sslhep/servicex_app", "v1.5.2"), current, next).to).toBe("v1.5.3");
    expect(bumpImage(pin("r21", "sslhep/xaod", "21.2.231"), current, next).to).toBe("21.2.232");
    expect(bumpImage(pin("r22", "sslhep/xaod", "22.2.107"), current, next).to).toBe("22.2.107");
  });

  it("follows a pin of a mirrored repository by its last path segment", () => {
    const b = bumpImage(
      pin("rabbitmq", "docker.io/bitnamilegacy/rabbitmq", "3.11.6-debian-11-r0"),
      current,
      next,
    );
    expect(b).toMatchObject({
      repository: "docker.io/bitnamilegacy/rabbitmq",
      to: "3.11.7-debian-11-r0",
    });
  });

  it("reports instead of guessing", () => {
    const gone = bumpImage(pin("app", "sslhep/servicex_app", "v1.5.2"), current, next.slice(1));
    expect(gone.unknown).toBe("the new release names no image at app");
    const two = bumpImage(pin("x", "sslhep/xaod", "1.0"), undefined, next);
    expect(two.unknown).toBe("the new release names sslhep/xaod with tags 21.2.232, 22.2.107");
    const none = bumpImage(pin("y", "quay.io/other/thing", "1"), current, next);
    expect(none.unknown).toBe("neither release's metadata names quay.io/other/thing");
    const overridden = bumpImage(pin("app", "sslhep/servicex_app", "v9"), current, next);
    expect(overridden.unknown).toBe(
      "the current release does not name sslhep/servicex_app:v9, the new one names tags v1.5.3",
    );
  });

  it("without the current release, takes the one tag the new release names", () => {
    expect(bumpImage(pin("app", "sslhep/servicex_app", "v1.0"), undefined, next).to).toBe("v1.5.3");
  });

  it("lists images the new release names that the current one did not", () => {
    const added = [
      ...next,
      img("annotation:proxy", "quay.io/oauth2-proxy/oauth2-proxy", "v7.15.4"),
    ];
    expect(newlyNamed(current, added)).toEqual(["quay.io/oauth2-proxy/oauth2-proxy:v7.15.4"]);
    expect(newlyNamed(undefined, added)).toEqual([]);
  });
});

describeWithUpstream("images of the real archives", [], () => {
  const archive = (folder: string, file: string) =>
    readChartArchive(readFileSync(path.join(UPSTREAM_SOURCE, "charts", folder, file)));

  it("finds ServiceX's images in its values and its Bitnami sub-charts'", async () => {
    const found = valuesImages(await archive("ssl-helm-charts", "servicex-1.5.3.tgz"));
    expect(found).toContainEqual(img("app", "docker.io/sslhep/servicex_app", "v1.5.3"));
    expect(found).toContainEqual(
      img("transformer.sidecar", "docker.io/sslhep/servicex_sidecar_transformer", "v1.5.3"),
    );
    expect(found).toContainEqual(img("app.checksImage", "docker.io/ncsa/checks", "latest"));
    expect(found).toContainEqual(
      img("rabbitmq/image", "docker.io/bitnami/rabbitmq", "3.11.6-debian-11-r0"),
    );
  });

  it("finds z2jh's images in its values (image: {name, tag})", async () => {
    const found = valuesImages(await archive("jupyterhub", "jupyterhub-3.3.8.tgz"));
    expect(found).toContainEqual(img("hub.image", "quay.io/jupyterhub/k8s-hub", "3.3.8"));
    expect(found).toContainEqual(
      img("scheduling.userScheduler.image", "registry.k8s.io/kube-scheduler", expect.any(String)),
    );
  });
});

describe("valueEdits", () => {
  it("changes the values that repeat a changed image, and nothing else", () => {
    const stack = StackSchema.parse({
      apiVersion: "shoppe.coffea-casa.io/v1alpha1",
      release: { name: "r", version: "0.1.0", description: "d" },
      kubernetes: { versions: [{ version: "1.35.4" }] },
      components: {
        casa: {
          displayName: "C",
          description: "c",
          appVersion: "1",
          source: { github: "a/b" },
          values: {
            hub: { image: { name: "quay.io/jupyterhub/k8s-hub", tag: "4.4.0" } },
            other: { image: { name: "quay.io/jupyterhub/k8s-hub", tag: "4.3.0" } },
            rabbit: {
              image: { registry: "docker.io", repository: "bitnamilegacy/rabbitmq", tag: "3.11.6" },
            },
            profiles: [
              {
                display_name: "Hub 4.4.0",
                override: { image: "quay.io/jupyterhub/k8s-hub:4.4.0" },
              },
            ],
          },
        },
      },
      profiles: {
        ci: {
          description: "ci",
          values: {
            casa: { hub: { image: { name: "quay.io/jupyterhub/k8s-hub", tag: "4.4.0" } } },
          },
        },
      },
    });
    const edits = valueEdits(stack, "casa", [
      { repository: "quay.io/jupyterhub/k8s-hub", from: "4.4.0", to: "4.4.1" },
      { repository: "docker.io/bitnamilegacy/rabbitmq", from: "3.11.6", to: "3.11.7" },
    ]);
    expect(edits).toEqual([
      { path: ["components", "casa", "values", "hub", "image", "tag"], value: "4.4.1" },
      { path: ["components", "casa", "values", "rabbit", "image", "tag"], value: "3.11.7" },
      {
        path: ["components", "casa", "values", "profiles", 0, "override", "image"],
        value: "quay.io/jupyterhub/k8s-hub:4.4.1",
      },
      { path: ["profiles", "ci", "values", "casa", "hub", "image", "tag"], value: "4.4.1" },
    ]);
  });
});
