/** What `shoppe verify` can find wrong with a pinned artefact: one line each. */

/** The kind of a problem. */
export type ProblemKind =
  /** The artefact does not exist (404, not listed). */
  | "missing"
  /** A tag or version now points to other bytes than stack.lock (or stack.yaml's digest) says. */
  | "drift"
  /** A platform stack.yaml declares is not published. */
  | "platform"
  /** stack.lock does not describe the pins of stack.yaml. */
  | "stale-lock"
  /** It could not be checked (network, credentials, offline). */
  | "unresolved";

/** One problem, naming the component and the artefact. */
export interface Problem {
  component: string;
  /** `chart servicex 1.5.3` or `image app sslhep/servicex_app:v1.5.3`. */
  artefact: string;
  kind: ProblemKind;
  message: string;
}

/** `servicex: image app sslhep/servicex_app:v1.5.3: drift: …`. */
export function formatProblem(p: Problem): string {
  return `${p.component}: ${p.artefact}: ${p.kind}: ${p.message}`;
}
