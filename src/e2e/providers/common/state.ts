/**
 * On-disk state of local clusters: one directory per cluster under a root (default
 * `.shoppe/clusters/`), holding `cluster.json` with the PIDs of every process started, so
 * `delete` and `list` work from any process and a later run can reap what a killed run left.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { InputError } from "../../../errors.js";
import type { ClusterLifetime } from "../provider.js";
import { isAlive, type ProcessRecord } from "./process-table.js";

/** Where a project's local clusters keep their state, whatever the provider. */
export function defaultStateRoot(root: string): string {
  return path.join(root, ".shoppe", "clusters");
}

/** The state file's name inside a cluster directory. */
export const STATE_FILE = "cluster.json";

/** What cluster.json holds. */
export interface ClusterState {
  schema: 1;
  name: string;
  provider: string;
  /** creating → ready → deleting; a dead owner while creating marks a leftover. */
  phase: "creating" | "ready" | "deleting";
  lifetime: ClusterLifetime;
  /** The process that ran create. */
  owner: ProcessRecord;
  createdAt: string;
  kubeconfig: string;
  server?: string;
  kubernetesVersion?: string;
  /** Component → port on 127.0.0.1. */
  ports: Record<string, number>;
  /** Every process started, recorded right after it was spawned. */
  processes: ProcessRecord[];
  nodes: string[];
}

/** Cluster names double as directory and node-name prefixes: keep them DNS-label safe. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Throws an InputError unless `name` is a valid cluster name. */
export function validateClusterName(name: string): void {
  if (!NAME.test(name)) {
    throw new InputError(
      `invalid cluster name "${name}": use 1-40 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    );
  }
}

/** Reads and writes cluster state under one root directory. */
export class StateStore {
  constructor(readonly root: string) {}

  /** The directory of cluster `name`. */
  dir(name: string): string {
    return path.join(this.root, name);
  }

  /** Names of every directory that holds a state file. */
  names(): string[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(this.root, d.name, STATE_FILE)))
      .map((d) => d.name)
      .sort();
  }

  /** The state of `name`, or undefined when there is none (or it is unreadable). */
  read(name: string): ClusterState | undefined {
    try {
      return JSON.parse(
        readFileSync(path.join(this.dir(name), STATE_FILE), "utf8"),
      ) as ClusterState;
    } catch {
      return undefined;
    }
  }

  /** Writes atomically (temp file + rename), so a kill mid-write never leaves half a file. */
  write(state: ClusterState): void {
    const file = path.join(this.dir(state.name), STATE_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, file);
  }

  /**
   * Creates the directory of `name`; false when it already exists (another run owns or owned
   * it). mkdir is atomic, so two runs creating one name never both succeed.
   */
  claim(name: string): boolean {
    mkdirSync(this.root, { recursive: true });
    try {
      mkdirSync(this.dir(name), { mode: 0o700 });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw err;
    }
  }

  /** Removes the directory of `name` and everything in it. */
  remove(name: string): void {
    rmSync(this.dir(name), { recursive: true, force: true });
  }
}

/** Processes of `state` that are alive now. */
export function liveProcesses(state: ClusterState): ProcessRecord[] {
  return state.processes.filter((p) => isAlive(p));
}

/**
 * A leftover: its creator is gone, and either it was a session cluster or the create never
 * finished. Persistent clusters that finished creating are never leftovers.
 */
export function isLeftover(state: ClusterState): boolean {
  if (isAlive(state.owner)) return false;
  return state.lifetime === "session" || state.phase !== "ready";
}
