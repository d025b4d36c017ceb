/**
 * What live checks share: the endpoint a component publishes in the wiring (the URL a notebook
 * reads), parsed into the Service it names, and reached through the target's service access.
 */
import type { CheckTarget, Reached } from "./check.js";
import { servicesOf } from "./check.js";
import { serviceAddress } from "./endpoints-ready.js";

/** A wired endpoint, reached. */
export interface WiredEndpoint {
  /** The wiring key (`MLFLOW_TRACKING_URI`). */
  key: string;
  /** The value a notebook reads (`http://mlflow.ns.svc:5000`). */
  value: string;
  reached: Reached;
  /** `value` with its port moved to where it is reached, host name kept. */
  url: string;
}

/** Default ports of URL schemes a wiring value may omit. */
const DEFAULT_PORT: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "root:": 1094,
  "grpc:": 80,
};

/** Reaches the endpoint wired under `key`; throws a reason naming the key when it cannot. */
export async function reachWired(t: CheckTarget, key: string): Promise<WiredEndpoint> {
  const services = servicesOf(t);
  const wiring = await services.wiring(t.signal);
  const value = wiring[key];
  if (value === undefined) {
    throw new Error(
      `the wiring has no ${key}: the component's endpoint is not published to notebooks`,
    );
  }
  const a = serviceAddress(value, t.namespace);
  if (typeof a === "string") throw new Error(`${key}=${value}: ${a}`);
  const u = new URL(value);
  const port = a.port ?? DEFAULT_PORT[u.protocol];
  if (port === undefined) throw new Error(`${key}=${value} names no port`);
  const reached = await services.reach(a.service, a.namespace, port, t.signal);
  u.port = String(reached.port);
  return { key, value, reached, url: u.toString().replace(/\/$/, "") };
}
