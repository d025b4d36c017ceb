/**
 * What a service-tier launcher is: for one component, start its real server software from the
 * rendered chart's own configuration (`rendered.ts`), register the loopback ports that stand
 * for its Services, and say which software answered beside the version stack.yaml pins.
 */
import type { Runner } from "../../exec/runner.js";
import type { KubeObject } from "../../kube/objects.js";
import type { Mirror } from "../../mirror/mirror-file.js";
import type { LocalServices } from "../access/local.js";
import type { ProviderContext } from "../providers/provider.js";
import type { LocalProcess, ProcessSpec } from "./process.js";

/** The software that answered for a component (or a part of it), as the results record it. */
export interface SoftwareRecord {
  /** What ran: "mlflow (PyPI)", "xrootd (Debian xrootd-server)". */
  name: string;
  /** The version stack.yaml pins (the component's appVersion, or the image it names). */
  pinned: string;
  /** The version the running server reported, when it answered. */
  answered?: string | undefined;
  /** Whether `answered` is the pinned version; a mismatch is recorded as such. */
  match: boolean;
  /** Set when this is a stand-in for the real software, with why. */
  standIn?: string | undefined;
  note?: string | undefined;
}

/** What a launcher gets. */
export interface LaunchContext {
  objects: KubeObject[];
  namespace: string;
  release: string;
  profile: string;
  /** stack.yaml's appVersion of the component. */
  pinned: string;
  /** This component's own scratch directory (configuration, data, logs). */
  dir: string;
  /** The project root (`.tools/` lives there). */
  root: string;
  runner: Runner;
  /** Finds a program: the project's `.tools/bin`, then PATH; undefined when it is nowhere. */
  tool(binary: string): string | undefined;
  services: LocalServices;
  signal: AbortSignal;
  /** How long a server may take to answer. */
  timeoutMs: number;
  /** Free loopback ports. */
  ports(count: number): Promise<number[]>;
  /** Starts a process the tier stops at the end, whatever happens. */
  start(spec: Omit<ProcessSpec, "logFile"> & { logFile?: string }): LocalProcess;
  /** Renders a chart of the project (paths relative to the root), e.g. the xcache chart as an origin. */
  renderChart(
    chart: string,
    o: { releaseName: string; valuesFiles?: string[]; set?: Record<string, string> },
  ): Promise<KubeObject[]>;
  /** Waits for a backing service's launch (PostgreSQL for MLflow in production); what it started. */
  after(component: string): Promise<Launched>;
  /** The run's mirror (`--mirror`), where upstream sources (`git:`) are found; absent without one. */
  mirror?: Mirror | undefined;
  /** What a local Kubernetes API (the kwok provider) needs; absent where none may be created. */
  provider?: ProviderContext | undefined;
}

/** What a launcher started. */
export interface Launched {
  software: SoftwareRecord[];
  /** What a backing service tells the launchers that wait for it (a kubeconfig's path). */
  data?: Record<string, string>;
  /** Stops what is not a process of the tier (a kwok cluster); the tier calls it at the end. */
  stop?: () => Promise<void>;
}

/** Starts one component. */
export interface Launcher {
  component: string;
  /** Shared backing services other launchers wait for (`postgresql`) are launchers too. */
  start(c: LaunchContext): Promise<Launched>;
}
