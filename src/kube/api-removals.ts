/**
 * Kubernetes API versions that are no longer served, by the minor release that stopped
 * serving them, and a check of rendered objects against a target Kubernetes version: the
 * offline guard against charts that still ship, say, Triton's autoscaling/v2beta2 HPA.
 *
 * Source: the Kubernetes "Deprecated API Migration Guide"
 * (kubernetes/website:content/en/docs/reference/using-api/deprecation-guide.md), which lists
 * every removal of a beta or GA API version; it lists none after 1.32. Alpha versions are
 * left out: they are off by default and may disappear in any release.
 */
import { InputError } from "../errors.js";
import { type KubeObject, objectRef } from "./objects.js";

/** One API version of some kinds that a Kubernetes minor release stopped serving. */
export interface ApiRemoval {
  /** `group/version` as written in `apiVersion`, e.g. `autoscaling/v2beta2`. */
  apiVersion: string;
  /** Kinds of that version that went away in `removedIn`. */
  kinds: readonly string[];
  /** First Kubernetes minor that does not serve them, `major.minor`, e.g. `1.26`. */
  removedIn: string;
  /** The apiVersion to migrate to, or `none` when the API was dropped altogether. */
  replacement: string;
}

/** Every removal in the migration guide, oldest first. */
export const API_REMOVALS: readonly ApiRemoval[] = [
  // 1.16
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["NetworkPolicy"],
    removedIn: "1.16",
    replacement: "networking.k8s.io/v1",
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: "1.16",
    replacement: "policy/v1beta1",
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["DaemonSet", "Deployment", "ReplicaSet"],
    removedIn: "1.16",
    replacement: "apps/v1",
  },
  {
    apiVersion: "apps/v1beta1",
    kinds: ["Deployment", "StatefulSet", "ReplicaSet"],
    removedIn: "1.16",
    replacement: "apps/v1",
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"],
    removedIn: "1.16",
    replacement: "apps/v1",
  },
  // 1.22
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    removedIn: "1.22",
    replacement: "admissionregistration.k8s.io/v1",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    removedIn: "1.22",
    replacement: "apiextensions.k8s.io/v1",
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kinds: ["APIService"],
    removedIn: "1.22",
    replacement: "apiregistration.k8s.io/v1",
  },
  {
    apiVersion: "authentication.k8s.io/v1beta1",
    kinds: ["TokenReview"],
    removedIn: "1.22",
    replacement: "authentication.k8s.io/v1",
  },
  {
    apiVersion: "authorization.k8s.io/v1beta1",
    kinds: ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"],
    removedIn: "1.22",
    replacement: "authorization.k8s.io/v1",
  },
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kinds: ["CertificateSigningRequest"],
    removedIn: "1.22",
    replacement: "certificates.k8s.io/v1",
  },
  {
    apiVersion: "coordination.k8s.io/v1beta1",
    kinds: ["Lease"],
    removedIn: "1.22",
    replacement: "coordination.k8s.io/v1",
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Ingress"],
    removedIn: "1.22",
    replacement: "networking.k8s.io/v1",
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress", "IngressClass"],
    removedIn: "1.22",
    replacement: "networking.k8s.io/v1",
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    removedIn: "1.22",
    replacement: "rbac.authorization.k8s.io/v1",
  },
  {
    apiVersion: "scheduling.k8s.io/v1beta1",
    kinds: ["PriorityClass"],
    removedIn: "1.22",
    replacement: "scheduling.k8s.io/v1",
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    removedIn: "1.22",
    replacement: "storage.k8s.io/v1",
  },
  // 1.25
  { apiVersion: "batch/v1beta1", kinds: ["CronJob"], removedIn: "1.25", replacement: "batch/v1" },
  {
    apiVersion: "discovery.k8s.io/v1beta1",
    kinds: ["EndpointSlice"],
    removedIn: "1.25",
    replacement: "discovery.k8s.io/v1",
  },
  {
    apiVersion: "events.k8s.io/v1beta1",
    kinds: ["Event"],
    removedIn: "1.25",
    replacement: "events.k8s.io/v1",
  },
  {
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: "1.25",
    replacement: "autoscaling/v2",
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodDisruptionBudget"],
    removedIn: "1.25",
    replacement: "policy/v1",
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: "1.25",
    replacement: "none",
  },
  {
    apiVersion: "node.k8s.io/v1beta1",
    kinds: ["RuntimeClass"],
    removedIn: "1.25",
    replacement: "node.k8s.io/v1",
  },
  // 1.26
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.26",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: "1.26",
    replacement: "autoscaling/v2",
  },
  // 1.27
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    removedIn: "1.27",
    replacement: "storage.k8s.io/v1",
  },
  // 1.29
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.29",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  // 1.32
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.32",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
];

/** A rendered object whose API the target Kubernetes version no longer serves. */
export interface RemovedApiUse {
  /** The offending object, as parsed. */
  object: KubeObject;
  /** `Kind/name` (with namespace when set), for messages. */
  ref: string;
  /** The table entry it matched: when the API went away and what replaces it. */
  removal: ApiRemoval;
}

/** `major.minor` of a Kubernetes version such as `1.32.11`, `v1.33` or `1.34.0-rc.1`. */
export function kubeMinor(version: string): { major: number; minor: number } {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!m) {
    throw new InputError(
      `failed to parse Kubernetes version "${version}": expected major.minor[.patch]`,
    );
  }
  return { major: Number(m[1]), minor: Number(m[2]) };
}

function atLeast(version: { major: number; minor: number }, removedIn: string): boolean {
  const r = kubeMinor(removedIn);
  return version.major > r.major || (version.major === r.major && version.minor >= r.minor);
}

/**
 * Objects among `objects` whose apiVersion and kind are not served by Kubernetes
 * `kubeVersion` (any of `1.32`, `1.32.11`, `v1.32.11`), in input order; empty when all are
 * served. Throws InputError for an unparsable version.
 */
export function findRemovedApis(
  objects: readonly KubeObject[],
  kubeVersion: string,
): RemovedApiUse[] {
  const target = kubeMinor(kubeVersion);
  const found: RemovedApiUse[] = [];
  for (const object of objects) {
    const removal = API_REMOVALS.find(
      (r) =>
        r.apiVersion === object.apiVersion &&
        r.kinds.includes(object.kind) &&
        atLeast(target, r.removedIn),
    );
    if (removal) found.push({ object, ref: objectRef(object), removal });
  }
  return found;
}

/** One line per finding, e.g. `HorizontalPodAutoscaler/x: autoscaling/v2beta2 was removed in Kubernetes 1.26; use autoscaling/v2`. */
export function describeRemovedApi(use: RemovedApiUse): string {
  const { apiVersion, removedIn, replacement } = use.removal;
  const fix = replacement === "none" ? "it has no replacement" : `use ${replacement}`;
  return `${use.ref}: ${apiVersion} was removed in Kubernetes ${removedIn}; ${fix}`;
}
