/**
 * Chart.yaml of the umbrella: metadata from stack.yaml's release, one dependency per
 * component (exact version, repository, alias and condition = its values key) and the
 * Artifact Hub annotations generated from the pins, so they cannot go stale.
 */
import { Document } from "yaml";
import { yamlText } from "./escape/yaml.js";
import { GENERATED_NOTICE, type UmbrellaModel } from "./model.js";
import { YAML_OPTIONS, YAML_TO_STRING } from "./vtree.js";

/** One `artifacthub.io/changes` entry (kinds as Artifact Hub defines them). */
export interface ArtifactHubChange {
  kind: "added" | "changed" | "deprecated" | "removed" | "fixed" | "security";
  description: string;
  links?: { name: string; url: string }[];
}

/** Options that do not come from stack.yaml. */
export interface ChartYamlOptions {
  /**
   * Changes of this release for `artifacthub.io/changes`. The release tooling passes them
   * once a previous release exists; without any, the annotation is left out.
   */
  changes?: ArtifactHubChange[];
}

/** An annotation value: a YAML document embedded as a string, as Artifact Hub expects. */
function embedded(value: unknown): string {
  return yamlText(new Document(value, YAML_OPTIONS), YAML_TO_STRING);
}

function annotations(model: UmbrellaModel, options: ChartYamlOptions): Record<string, string> {
  const images = model.components.flatMap((c) => c.images);
  const links = [
    ...(model.home ? [{ name: `${model.name} source`, url: model.home }] : []),
    ...model.components.map((c) => ({ name: `${c.displayName} upstream`, url: c.sourceUrl })),
  ];
  const out: Record<string, string> = {};
  if (options.changes && options.changes.length > 0) {
    out["artifacthub.io/changes"] = embedded(options.changes);
  }
  if (images.length > 0) out["artifacthub.io/images"] = embedded(images);
  if (model.license) out["artifacthub.io/license"] = model.license;
  out["artifacthub.io/links"] = embedded(links);
  return out; // keys in sorted order
}

/** The Chart.yaml content as a plain object, in Helm's field order. */
export function chartYamlObject(model: UmbrellaModel, options: ChartYamlOptions = {}) {
  const maintainers = model.maintainers.map((m) => ({
    name: m.name,
    ...(m.email ? { email: m.email } : {}),
    ...(m.url ? { url: m.url } : {}),
  }));
  return {
    apiVersion: "v2",
    name: model.name,
    description: model.description,
    type: "application",
    version: model.version,
    appVersion: model.version,
    kubeVersion: model.kubeVersion,
    ...(model.home ? { home: model.home } : {}),
    keywords: ["analysis-facility", "hep", "umbrella", ...model.components.map((c) => c.id)],
    ...(maintainers.length > 0 ? { maintainers } : {}),
    dependencies: model.components.flatMap((c) => (c.dependency ? [c.dependency] : [])),
    annotations: annotations(model, options),
  };
}

/** Chart.yaml text. */
export function chartYamlText(model: UmbrellaModel, options: ChartYamlOptions = {}): string {
  const doc = new Document(chartYamlObject(model, options), YAML_OPTIONS);
  doc.commentBefore = ` ${GENERATED_NOTICE}`;
  return yamlText(doc, { ...YAML_TO_STRING, blockQuote: "literal" });
}
