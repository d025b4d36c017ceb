/**
 * The Kubernetes versions the charts are rendered and checked against. A constant for now;
 * it is meant to come from stack.yaml's `kubernetes.versions` once that is wired in.
 */

/** Supported Kubernetes versions, oldest first (full patch versions, as `--kube-version` takes). */
export const KUBE_VERSIONS: readonly string[] = ["1.32.11", "1.33.7", "1.34.3", "1.35.4"];
