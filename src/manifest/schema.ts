/**
 * The stack.yaml model, defined once. Types are inferred from it and the committed JSON
 * Schema (schema/stack.schema.json) is generated from it (`npm run schema`); a test fails
 * when the committed schema is stale. Semantic rules that a schema cannot express live in
 * rules/.
 */
import { z } from "zod";

/** Component ids are also the umbrella's values keys and Helm aliases. */
export const COMPONENT_ID = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

const nonEmpty = z.string().min(1, "must not be empty");

/** A chart served by a Helm HTTP repository or an OCI registry. */
const RemoteChart = z
  .strictObject({
    repository: nonEmpty.describe(
      "Helm repository URL (https://…, http://… for loopback) or OCI reference (oci://host/path)",
    ),
    name: nonEmpty.describe("Chart name in that repository"),
    version: nonEmpty.describe("Exact chart version (SemVer); ranges are not allowed in a release"),
  })
  .describe("An upstream chart pinned to an exact version");

/** A first-party chart kept in this repository under charts/. */
const LocalChart = z
  .strictObject({
    path: nonEmpty.describe(
      "Path of the chart directory, relative to stack.yaml (e.g. charts/xcache)",
    ),
    name: nonEmpty.describe("Chart name (must equal the name in its Chart.yaml)"),
    version: nonEmpty.describe("Chart version (must equal the version in its Chart.yaml)"),
  })
  .describe("A first-party chart maintained in this repository");

/** A container image a component's chart deploys. */
const Image = z
  .strictObject({
    name: nonEmpty.describe("Role of the image within the component, e.g. hub, notebook, app"),
    repository: nonEmpty.describe("Image repository including registry host"),
    tag: nonEmpty.describe("Image tag; never a moving tag such as latest or development"),
    digest: z.string().optional().describe("Content digest, sha256:<64 hex>, when pinned"),
    platforms: z
      .array(nonEmpty)
      .optional()
      .describe("Platforms the image is published for, e.g. linux/amd64"),
    startedBy: nonEmpty
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
    name: nonEmpty.describe(
      "Endpoint name, unique within the component, e.g. http, grpc, tracking",
    ),
    env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "is not an environment variable name (A-Z, 0-9, _)")
      .describe("Environment variable consumers (notebooks) read the URL from"),
    url: nonEmpty.describe(
      "URL template; {release} and {namespace} are replaced by the Helm release name and namespace",
    ),
    format: EndpointFormat.default("url").describe(
      "What the ConfigMap entry and the environment variable carry: the whole URL, or only its host, host:port or port",
    ),
  })
  .describe("An endpoint published in the wiring ConfigMap and the notebook environment");

/** A value of this component's chart that is set from another component's endpoint. */
const Consume = z
  .strictObject({
    endpoint: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[A-Za-z0-9_-]+$/, "must be <component>.<endpoint name>")
      .describe("The producer's endpoint as <component id>.<endpoint name>, e.g. xcache.root"),
    value: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be a dotted values path")
      .describe("Dotted path of the value in this component's chart, e.g. transformer.cachePrefix"),
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

/** One of the facility services. */
const Component = z
  .strictObject({
    displayName: nonEmpty.describe("Human name, e.g. Coffea-Casa"),
    description: nonEmpty.describe("One line: what the component gives a facility"),
    enabled: z.boolean().default(true).describe("Whether the umbrella installs it by default"),
    chart: z.union([RemoteChart, LocalChart]).optional().describe("The Helm chart that deploys it"),
    appVersion: nonEmpty.describe("Version of the application the chart deploys"),
    images: z.array(Image).default([]).describe("Container images the chart deploys"),
    values: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("Default value overrides handed to the component's chart"),
    dependsOn: z
      .array(nonEmpty)
      .default([])
      .describe("Components this one needs (they must be enabled when this one is)"),
    endpoints: z.array(Endpoint).default([]).describe("Endpoints offered to other components"),
    consumes: z
      .array(Consume)
      .default([])
      .describe("Values of this component's chart that are wired to other components' endpoints"),
    endpointEnv: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be a dotted values path")
      .optional()
      .describe(
        "Dotted path of an environment-variable map in this component's chart (z2jh extraEnv style, e.g. jupyterhub.singleuser.extraEnv) that receives every other component's endpoints, read from the endpoints ConfigMap",
      ),
    source: z
      .strictObject({
        github: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, "is not a GitHub owner/repo")
          .describe("GitHub owner/repo of the upstream project"),
        chartPath: z.string().optional().describe("Path of the chart in that repository"),
      })
      .describe("Upstream source, for release notes and update checks"),
  })
  .describe("A facility service pinned in this release");

/** A Kubernetes version the release supports (one e2e matrix entry). */
const KubernetesVersion = z
  .strictObject({
    version: nonEmpty.describe("Kubernetes version, MAJOR.MINOR.PATCH without a leading v"),
    kindNodeImage: z
      .string()
      .optional()
      .describe(
        "kind node image for this version, pinned by digest (kindest/node:vX.Y.Z@sha256:…)",
      ),
  })
  .describe("A supported Kubernetes version");

/** A named values overlay for the umbrella chart (written as ci/<name>-values.yaml). */
const Profile = z
  .strictObject({
    description: nonEmpty.describe("What the profile is for"),
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
        name: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "is not a lowercase DNS label (a-z, 0-9, -)")
          .describe("Umbrella chart name"),
        version: nonEmpty.describe("Integrated release version (SemVer)"),
        description: nonEmpty.describe("Umbrella chart description"),
        home: z.string().optional().describe("Project home page"),
        license: z
          .string()
          .optional()
          .describe("SPDX license identifier of the umbrella chart (artifacthub.io/license)"),
        maintainers: z
          .array(
            z.strictObject({
              name: nonEmpty,
              email: z.string().optional(),
              url: z.string().optional(),
            }),
          )
          .default([])
          .describe("Chart maintainers"),
      })
      .describe("The integrated release"),
    kubernetes: z
      .strictObject({
        versions: z
          .array(KubernetesVersion)
          .min(1, "must list at least one Kubernetes version")
          .describe("Supported Kubernetes versions, the e2e matrix"),
      })
      .describe("Kubernetes support"),
    components: z
      .record(z.string(), Component)
      .describe("The components, keyed by id (the umbrella's values key)"),
    profiles: z.record(z.string(), Profile).default({}).describe("Named values overlays"),
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
/** What an endpoint entry carries. */
export type EndpointFormatName = z.infer<typeof EndpointFormat>;

/** True for a first-party chart kept under charts/. */
export function isLocalChart(c: ChartRef): c is Extract<ChartRef, { path: string }> {
  return "path" in c;
}
