/**
 * Kubernetes objects as parsed from rendered manifests (helm template output), with the
 * small accessors checks need. Parsing is strict: a document that is not an object with
 * apiVersion and kind is an error, because a chart that renders one is broken.
 */
import { parseAllDocuments } from "yaml";
import { InputError } from "../errors.js";

/** A rendered Kubernetes object; fields beyond the header are left as parsed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
  /** Template that produced it, from helm's `# Source:` comment, when present. */
  source?: string;
}

/** Parses multi-document YAML (helm template output) into objects; empty documents are skipped. */
export function parseManifests(text: string, origin = "rendered manifests"): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new InputError(`failed to parse ${origin}: ${doc.errors[0]?.message}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const obj = value as Partial<KubeObject>;
    if (typeof obj !== "object" || !obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      throw new InputError(
        `failed to parse ${origin}: a document lacks apiVersion, kind or metadata.name`,
      );
    }
    // helm writes `# Source: <template>` after each `---`; the YAML library keeps the text
    // without its `#`, on the document or on its first node depending on blank lines.
    const comment = `${doc.commentBefore ?? ""}\n${(doc.contents as { commentBefore?: string } | null)?.commentBefore ?? ""}`;
    const source = /^\s*#?\s*Source:\s*(.+)$/m.exec(comment)?.[1];
    out.push(source ? { ...(obj as KubeObject), source: source.trim() } : (obj as KubeObject));
  }
  return out;
}

/** `Kind/name` (with namespace when set), the way kubectl names an object. */
export function objectRef(o: KubeObject): string {
  return o.metadata.namespace
    ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;
}

/** Finds one object by kind and name. */
export function findObject(
  objects: KubeObject[],
  kind: string,
  name: string,
): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** The pod template spec of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod). */
export function podSpecOf(o: KubeObject): Record<string, unknown> | undefined {
  type Spec = { template?: { spec?: Record<string, unknown> }; jobTemplate?: { spec?: Spec } };
  const spec = o.spec as (Spec & Record<string, unknown>) | undefined;
  if (!spec) return undefined;
  if (o.kind === "Pod") return spec;
  if (o.kind === "CronJob") return spec.jobTemplate?.spec?.template?.spec;
  return spec.template?.spec;
}
