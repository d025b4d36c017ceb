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

/** A table row: `removed(release, apiVersion, replacement, "Kind Kind …")`. */
function removed(
  removedIn: string,
  apiVersion: string,
  replacement: string,
  kinds: string,
): ApiRemoval {
  return { apiVersion, kinds: kinds.split(" "), removedIn, replacement };
}

/** Every removal in the migration guide, oldest first. */
export const API_REMOVALS: readonly ApiRemoval[] = [
  removed("1.16", "extensions/v1beta1", "networking.k8s.io/v1", "NetworkPolicy"),
  removed("1.16", "extensions/v1beta1", "policy/v1beta1", "PodSecurityPolicy"),
  removed("1.16", "extensions/v1beta1", "apps/v1", "DaemonSet Deployment ReplicaSet"),
  removed("1.16", "apps/v1beta1", "apps/v1", "Deployment StatefulSet ReplicaSet"),
  removed("1.16", "apps/v1beta2", "apps/v1", "DaemonSet Deployment StatefulSet ReplicaSet"),
  removed(
    "1.22",
    "admissionregistration.k8s.io/v1beta1",
    "admissionregistration.k8s.io/v1",
    "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
  ),
  removed(
    "1.22",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
    "CustomResourceDefinition",
  ),
  removed("1.22", "apiregistration.k8s.io/v1beta1", "apiregistration.k8s.io/v1", "APIService"),
  removed("1.22", "authentication.k8s.io/v1beta1", "authentication.k8s.io/v1", "TokenReview"),
  removed(
    "1.22",
    "authorization.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "LocalSubjectAccessReview SelfSubjectAccessReview SubjectAccessReview",
  ),
  removed(
    "1.22",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1",
    "CertificateSigningRequest",
  ),
  removed("1.22", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "Lease"),
  removed("1.22", "extensions/v1beta1", "networking.k8s.io/v1", "Ingress"),
  removed("1.22", "networking.k8s.io/v1beta1", "networking.k8s.io/v1", "Ingress IngressClass"),
  removed(
    "1.22",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "ClusterRole ClusterRoleBinding Role RoleBinding",
  ),
  removed("1.22", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "PriorityClass"),
  removed(
    "1.22",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "CSIDriver CSINode StorageClass VolumeAttachment",
  ),
  removed("1.25", "batch/v1beta1", "batch/v1", "CronJob"),
  removed("1.25", "discovery.k8s.io/v1beta1", "discovery.k8s.io/v1", "EndpointSlice"),
  removed("1.25", "events.k8s.io/v1beta1", "events.k8s.io/v1", "Event"),
  removed("1.25", "autoscaling/v2beta1", "autoscaling/v2", "HorizontalPodAutoscaler"),
  removed("1.25", "policy/v1beta1", "policy/v1", "PodDisruptionBudget"),
  removed("1.25", "policy/v1beta1", "none", "PodSecurityPolicy"),
  removed("1.25", "node.k8s.io/v1beta1", "node.k8s.io/v1", "RuntimeClass"),
  removed(
    "1.26",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "FlowSchema PriorityLevelConfiguration",
  ),
  removed("1.26", "autoscaling/v2beta2", "autoscaling/v2", "HorizontalPodAutoscaler"),
  removed("1.27", "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "CSIStorageCapacity"),
  removed(
    "1.29",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1",
    "FlowSchema PriorityLevelConfiguration",
  ),
  removed(
    "1.32",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "flowcontrol.apiserver.k8s.io/v1",
    "FlowSchema PriorityLevelConfiguration",
  ),
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
