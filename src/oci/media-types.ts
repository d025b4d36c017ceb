/** The manifest media types of the OCI distribution API, and what a client accepts. */

/** An OCI image index (multi-platform). */
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
/** Docker's manifest list (multi-platform). */
export const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
/** An OCI image manifest (one platform, or a helm chart). */
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** Docker's schema 2 manifest. */
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
/** The config blob of a helm chart (its Chart.yaml as JSON). */
export const HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
/** The layer of a helm chart: the chart archive. */
export const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

/** Every manifest kind, for HEAD requests on images: without them a registry may convert. */
export const IMAGE_ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(", ");

/** Whether a media type is a multi-platform index. */
export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}
