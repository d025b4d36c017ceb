/**
 * The check interface every smoke check implements (the smoke-check work adds one module per
 * component; the e2e run calls every check registered for an enabled component). A check says
 * what it needs, so the run never calls one that cannot reach what it tests: on a provider
 * whose pods are simulated, a check that needs a live service is recorded `skipped` with the
 * reason `pods are simulated`, never passed.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { Runner } from "../../exec/runner.js";

/**
 * What a check needs from the run.
 * - `api`: the Kubernetes API only (objects, statuses, endpoints); runs on every provider.
 * - `live-service`: a running service to talk to (real containers: kind, an existing
 *   cluster, or the service tier's local processes).
 */
export type CheckNeed = "api" | "live-service";

/** Every need, for schemas and help. */
export const CHECK_NEEDS: readonly CheckNeed[] = ["api", "live-service"];

/** Where a Service port answers from this process: always a loopback address. */
export interface Reached {
  /** The in-cluster name a notebook uses (`mlflow.<ns>.svc`); `ServiceAccess.lookup` maps it here. */
  name: string;
  host: string;
  port: number;
}

/**
 * How live checks reach services: in a cluster a port-forward to a ready pod behind the
 * Service (`src/e2e/access/cluster.ts`), in the service tier the local process started from
 * the rendered chart (`src/e2e/access/local.ts`). Either way a check speaks the service's own
 * protocol to a loopback port and names the service as a notebook in the cluster does.
 */
export interface ServiceAccess {
  /** "port-forward" or "local process": recorded in the evidence. */
  via: string;
  /** Where `service` (in `namespace`) `port` answers; throws a reason a person can act on. */
  reach(service: string, namespace: string, port: number, signal: AbortSignal): Promise<Reached>;
  /** DNS lookup for HTTP agents: the in-cluster names reached so far resolve to loopback. */
  lookup(hostname: string): string | undefined;
  /** The endpoints ConfigMap's data (what notebooks read), from the API or the rendered chart. */
  wiring(signal: AbortSignal): Promise<Record<string, string>>;
  /**
   * What a component's check needs beyond an address (an API token, a file to read), by key;
   * empty when the target has none: the check then says what is missing.
   */
  params(component: string, signal: AbortSignal): Promise<Record<string, string>>;
}

/** What a check runs against: one installed release, or the service tier's processes. */
export interface CheckTarget {
  /** The cluster's API, the run's context current; absent in the service tier (no cluster). */
  kc?: KubeConfig | undefined;
  namespace: string;
  release: string;
  /** The endpoints ConfigMap's name (stack.yaml wiring), as the umbrella renders it. */
  endpointsConfigMap: string;
  /** How live services are reached; absent where none can be (live checks are then skipped). */
  services?: ServiceAccess | undefined;
  /** Runs protocol clients (xrdcp) for live checks; absent where none may run. */
  runner?: Runner | undefined;
  /** Aborted on the check's timeout, on Ctrl-C and on SIGTERM. */
  signal: AbortSignal;
}

/** The target's cluster API; the runner never calls an `api` check without one. */
export function kubeOf(t: CheckTarget): KubeConfig {
  if (!t.kc) throw new Error("no Kubernetes API to check: this target has no cluster");
  return t.kc;
}

/** The target's live services; the runner never calls a `live-service` check without them. */
export function servicesOf(t: CheckTarget): ServiceAccess {
  if (!t.services) throw new Error("no live services to check: this target cannot reach any");
  return t.services;
}

/** What a check found: its verdict, why, and what it saw. */
export interface CheckOutcome {
  /** `skipped` when there was nothing to test (a release without volumes, say): never a pass. */
  status: "passed" | "failed" | "skipped";
  /** Why it failed or skipped (required then), or a note on a pass. */
  reason?: string;
  /** What the check saw, one line each ("MLFLOW_TRACKING_URI → Service mlflow: 1 ready"). */
  evidence: string[];
}

/** A check run once on an installed release. */
export interface Check {
  /** Unique, kebab-case: "endpoints-ready". */
  name: string;
  /** The component id it tests, or INTEGRATION for checks of the wiring between components. */
  component: string;
  description: string;
  needs: readonly CheckNeed[];
  run(target: CheckTarget): Promise<CheckOutcome>;
}

/**
 * A check around an upgrade: `before` writes (or records) something on the old release,
 * `after` proves it is still there on the upgraded one.
 */
export interface UpgradeCheck<Memo = unknown> {
  name: string;
  component: string;
  description: string;
  needs: readonly CheckNeed[];
  before(target: CheckTarget): Promise<Memo>;
  after(target: CheckTarget, memo: Memo): Promise<CheckOutcome>;
}

/** The component id of checks that test the umbrella's wiring rather than one component. */
export const INTEGRATION = "integration";
