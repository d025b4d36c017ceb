/** What collecting a bundle works with: its options, and everything collected so far. */
import type { CoreV1Event, KubeConfig, V1Job, V1Pod } from "@kubernetes/client-node";
import { Redactor } from "../../exec/redact.js";
import type { Logger } from "../../log.js";
import type { Helm } from "../../tools/helm.js";
import type { ComponentOf, FailedComponent } from "./summary.js";

/** What to collect, and from where. */
export interface BundleOptions {
  kc: KubeConfig;
  /** For helm: the kubeconfig file and context the client uses. */
  kubeconfig: string;
  context?: string | undefined;
  namespaces: string[];
  releases: { name: string; namespace: string }[];
  helm: Helm;
  /** The project's redactor (environment secrets); the bundle adds what it finds. */
  redactor: Redactor;
  componentOf?: ComponentOf;
  /** From a run: the components that failed. */
  failed?: FailedComponent[];
  title: string;
  now: Date;
  logger: Logger;
}

/** A collected bundle. */
export interface Bundle {
  archive: Buffer;
  /** Paths inside the archive, SUMMARY.md first. */
  files: string[];
  first?: { component: string; why: string };
  notes: string[];
}

/** A failure's reason in a few words (an HTTP status, or the message). */
export const why = (err: unknown) =>
  (err as { code?: number }).code
    ? `HTTP ${(err as { code: number }).code}`
    : err instanceof Error
      ? err.message
      : String(err);

/** An object as listed. */
export type Item = { metadata?: { name?: string; labels?: Record<string, string> } };

/** Everything collected, before redaction and archiving. */
export class Collection {
  readonly files = new Map<string, string>();
  readonly notes: string[] = [];
  readonly red = new Redactor();
  pods: V1Pod[] = [];
  jobs: V1Job[] = [];
  events: CoreV1Event[] = [];
  kwokNodes = new Set<string>();
}
