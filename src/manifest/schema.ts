/**
 * The stack.yaml model, defined once. Types are inferred from it and the committed JSON
 * Schema (schema/stack.schema.json) is generated from it (`npm run schema`); a test fails
 * when the committed schema is stale. Semantic rules that a schema cannot express live in
 * rules/. String fields (formats, text, names) are in fields.ts and formats.ts.
 */
import * as z from "zod";
import {
  chartName,
  componentId,
  formatted,
  imageTag,
  line,
  listOf,
  mapOf,
  named,
  prose,
  releaseName,
  releaseVersion,
  valuePath,
  version,
  versionRange,
} from "./fields.js";
import {
  CHART_REPOSITORY,
  DIGEST,
  ENDPOINT_URL,
  GITHUB_REPO,
  IMAGE_REPOSITORY,
  KIND_NODE_IMAGE,
  KUBE_VERSION,
  RELATIVE_PATH,
  WEB_URL,
} from "./formats.js";
import { quote } from "./text.js";

/** Most components one umbrella holds; a facility has a handful. */
const MAX_COMPONENTS = 100;

/** A chart served by a Helm HTTP repository or an OCI registry. */
const RemoteChart = z
  .strictObject({
    repository: formatted(CHART_REPOSITORY).describe(
      "Helm repository URL (https://…, http://… for loopback) or OCI reference (oci://host/path)",
    ),
    name: chartName.describe("Chart name in that repository"),
    version: version.describe("Exact chart version (SemVer); ranges are not allowed in a release"),
  })
  .describe("An upstream chart pinned to an exact version");

/** A first-party chart kept in this repository under charts/. */
const LocalChart = z
  .strictObject({
    path: formatted(RELATIVE_PATH).describe(
      "Path of the chart directory, relative to stack.yaml and inside the project (e.g. charts/xcache)",
    ),
    name: chartName.describe("Chart name (must equal the name in its Chart.yaml)"),
    version: version.describe("Chart version (must equal the version in its Chart.yaml)"),
  })
  .describe("A first-party chart maintained in this repository");

/** A container image a component's chart deploys. */
const Image = z
  .strictObject({
    name: named(
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/u,
      "is not an image name (letters, digits, . _ -)",
    ).describe("Role of the image within the component, e.g. hub, notebook, app"),
    repository: formatted(IMAGE_REPOSITORY).describe(
      "Image repository including registry host, by the OCI distribution reference grammar",
    ),
    tag: imageTag.describe("Image tag; never a moving tag such as latest or development"),
    digest: formatted(DIGEST).optional().describe("Content digest, sha256:<64 hex>, when pinned"),
    platforms: listOf(
      named(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/u, "is not a platform (os/arch[/variant])"),
      50,
    )
      .optional()
      .describe("Platforms the image is published for, e.g. linux/amd64"),
    startedBy: line
      .optional()
      .describe(
        "What starts the image at run time when the chart neither deploys nor names it (e.g. Dask workers launched from the notebook image); `shoppe images` then lists it as started at run time instead of drift",
      ),
  })
  .describe("A container image the chart deploys or something it deploys starts");

/** What an endpoint entry carries: the whole URL or a part of it. */
const EndpointFormat = z.enum(["url", "host", "hostport", "port"]);

/** An in-cluster endpoint a component offers to the others. */
const Endpoint = z
  .strictObject({
    name: named(
      /^[A-Za-z0-9][A-Za-z0-9_-]*$/u,
      "is not an endpoint name (letters, digits, _ and -)",
    ).describe("Endpoint name, unique within the component, e.g. http, grpc, tracking"),
    env: named(
      /^(?=.{1,253}$)[A-Z_][A-Z0-9_]*$/u,
      "is not an environment variable name (A-Z, 0-9, _)",
    ).describe("Environment variable consumers (notebooks) read the URL from"),
    url: formatted(ENDPOINT_URL).describe(
      "URL template scheme://host[:port][/path]; {release} and {namespace} are replaced by the Helm release name and namespace",
    ),
    format: EndpointFormat.default("url").describe(
      "What the ConfigMap entry and the environment variable carry: the whole URL, or only its host, host:port or port",
    ),
  })
  .describe("An endpoint published in the wiring ConfigMap and the notebook environment");

/** A value of this component's chart that is set from another component's endpoint. */
const Consume = z
  .strictObject({
    endpoint: named(
      /^[a-z][a-z0-9-]{0,38}[a-z0-9]\.[A-Za-z0-9][A-Za-z0-9_-]*$/u,
      "must be <component>.<endpoint name>",
    ).describe("The producer's endpoint as <component id>.<endpoint name>, e.g. xcache.root"),
    value: valuePath.describe(
      "Dotted path of the value in this component's chart, e.g. transformer.cachePrefix",
    ),
    format: EndpointFormat.default("hostport").describe(
      "How the endpoint is written into the value; values are static, so the host is the Service name alone (the consumer runs in the release namespace)",
    ),
    quote: z
      .enum(["none", "python"])
      .default("none")
      .describe(
        "How the value is quoted: none (as is), or python (a Python string literal, for charts that paste the value into Python source, e.g. ServiceX's transformer.cachePrefix)",
      ),
  })
  .describe(
    "Wiring: while the producer is enabled in stack.yaml, the umbrella's values set this value to the producer's endpoint, and installing with the producer disabled fails with a message naming the value to clear",
  );

/** Which upstream releases `shoppe outdated` reports as wanted and `shoppe bump` takes. */
const UpdatePolicy = z
  .strictObject({
    track: z
      .enum(["patch", "minor", "major"])
      .default("minor")
      .describe(
        "The largest step taken: patch (same major.minor), minor (same major) or major; newer releases beyond it are still reported",
      ),
    ignore: listOf(versionRange, 100)
      .default([])
      .describe("Versions or SemVer ranges never offered (e.g. 2026.1008.2, 4.x, >=5.0.0)"),
    prereleases: z
      .boolean()
      .default(false)
      .describe("Whether pre-releases (1.2.3-beta.1, z2jh's 4.0.0-0.dev.git.… builds) count"),
  })
  .describe("Update policy of a chart from a repository (docs/updates.md)");

/** One of the facility services. */
const Component = z
  .strictObject({
    displayName: line.describe("Human name, e.g. Coffea-Casa"),
    description: line.describe("One line: what the component gives a facility"),
    enabled: z.boolean().default(true).describe("Whether the umbrella installs it by default"),
    chart: z.union([RemoteChart, LocalChart]).optional().describe("The Helm chart that deploys it"),
    appVersion: line.describe("Version of the application the chart deploys"),
    images: listOf(Image, 500).default([]).describe("Container images the chart deploys"),
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Default value overrides handed to the component's chart"),
    dependsOn: listOf(componentId, MAX_COMPONENTS)
      .default([])
      .describe("Components this one needs (they must be enabled when this one is)"),
    endpoints: listOf(Endpoint, 100).default([]).describe("Endpoints offered to other components"),
    consumes: listOf(Consume, 100)
      .default([])
      .describe("Values of this component's chart that are wired to other components' endpoints"),
    endpointEnv: valuePath
      .optional()
      .describe(
        "Dotted path of an environment-variable map in this component's chart (z2jh extraEnv style, e.g. jupyterhub.singleuser.extraEnv) that receives every other component's endpoints, read from the endpoints ConfigMap",
      ),
    updates: UpdatePolicy.prefault({}).describe(
      "Which upstream releases of the chart count (docs/updates.md); the default tracks minor releases without pre-releases",
    ),
    source: z
      .strictObject({
        github: formatted(GITHUB_REPO).describe("GitHub owner/repo of the upstream project"),
        chartPath: formatted(RELATIVE_PATH)
          .optional()
          .describe("Path of the chart in that repository"),
      })
      .describe("Upstream source, for release notes and update checks"),
  })
  .describe("A facility service pinned in this release");

/** A Kubernetes version the release supports (one e2e matrix entry). */
const KubernetesVersion = z
  .strictObject({
    version: formatted(KUBE_VERSION).describe(
      "Kubernetes version, MAJOR.MINOR.PATCH without a leading v",
    ),
    kindNodeImage: formatted(KIND_NODE_IMAGE)
      .optional()
      .describe(
        "kind node image for this version, pinned by digest (kindest/node:vX.Y.Z@sha256:…, or a copy in another registry: registry.example/kindest/node:vX.Y.Z@sha256:…)",
      ),
  })
  .describe("A supported Kubernetes version");

/** A named values overlay for the umbrella chart (written as ci/<name>-values.yaml). */
const Profile = z
  .strictObject({
    description: prose.describe("What the profile is for"),
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Umbrella values for the profile"),
  })
  .describe("A named values overlay");

/** The whole manifest. */
export const StackSchema = z
  .strictObject({
    apiVersion: z.literal("shoppe.coffea-casa.io/v1alpha1").describe("Manifest format version"),
    release: z
      .strictObject({
        name: releaseName.describe("Umbrella chart name"),
        version: releaseVersion.describe("Integrated release version (SemVer)"),
        description: prose.describe("Umbrella chart description"),
        home: formatted(WEB_URL).optional().describe("Project home page"),
        license: line
          .optional()
          .describe("SPDX license identifier of the umbrella chart (artifacthub.io/license)"),
        maintainers: listOf(
          z.strictObject({
            name: line,
            email: z
              .email({ error: (iss) => `${quote(String(iss.input))} is not an e-mail address` })
              .optional(),
            url: formatted(WEB_URL).optional(),
          }),
          100,
        )
          .default([])
          .describe("Chart maintainers"),
      })
      .describe("The integrated release"),
    kubernetes: z
      .strictObject({
        versions: listOf(KubernetesVersion, 50)
          .min(1, "must list at least one Kubernetes version")
          .describe("Supported Kubernetes versions, the e2e matrix"),
      })
      .describe("Kubernetes support"),
    components: mapOf(componentId, Component, MAX_COMPONENTS).describe(
      "The components, keyed by id (the umbrella's values key)",
    ),
    profiles: mapOf(
      named(
        /^(?=.{1,63}$)[a-z][a-z0-9-]*$/u,
        "is not a valid profile name (lowercase letters, digits, dashes, at most 63)",
      ),
      Profile,
      100,
    )
      .default({})
      .describe("Named values overlays (profile names become file names: ci/<name>-values.yaml)"),
  })
  .describe("Coffea Shoppe stack manifest: the pins of one integrated release");

/** A validated, defaulted manifest. */
export type Stack = z.infer<typeof StackSchema>;
/** One component as the code sees it after defaults. */
export type StackComponent = Stack["components"][string];
/** A chart reference of either kind. */
export type ChartRef = NonNullable<StackComponent["chart"]>;
/** A pinned image. */
export type StackImage = StackComponent["images"][number];
/** An endpoint a component offers. */
export type StackEndpoint = StackComponent["endpoints"][number];
/** A value wired to another component's endpoint. */
export type StackConsume = StackComponent["consumes"][number];
/** A component's update policy, defaults applied. */
export type UpdatePolicyOf = StackComponent["updates"];
/** What an endpoint entry carries. */
export type EndpointFormatName = z.infer<typeof EndpointFormat>;

/** True for a first-party chart kept under charts/. */
export function isLocalChart(c: ChartRef): c is Extract<ChartRef, { path: string }> {
  return Object.hasOwn(c, "path");
}
