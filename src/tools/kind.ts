/**
 * Typed methods over the pinned kind binary (`kind create|export|delete|get`). Arguments are
 * argv arrays; failures are CommandErrors from the runner with the full command line, so a
 * test can hand the provider a recording runner and assert the exact commands it would run.
 */
import type { Runner } from "../exec/runner.js";

/** How long `kind create cluster` waits for the control plane to be Ready. */
export const KIND_WAIT = "180s";

/** kind bound to one executable; `env` selects the engine (KIND_EXPERIMENTAL_PROVIDER). */
export class Kind {
  constructor(
    private readonly runner: Runner,
    /** Absolute path of the kind executable. */
    readonly binary: string,
  ) {}

  /** `kind create cluster` from a config file, writing the admin kubeconfig to `kubeconfig`. */
  async createCluster(
    name: string,
    o: { config: string; kubeconfig: string; signal?: AbortSignal | undefined },
  ): Promise<void> {
    await this.runner.run(
      this.binary,
      [
        "create",
        "cluster",
        "--name",
        name,
        "--config",
        o.config,
        "--kubeconfig",
        o.kubeconfig,
        "--wait",
        KIND_WAIT,
      ],
      { signal: o.signal },
    );
  }

  /** `kind export kubeconfig`: (re)writes the cluster's admin kubeconfig into `kubeconfig`. */
  async exportKubeconfig(name: string, kubeconfig: string): Promise<void> {
    await this.runner.run(this.binary, [
      "export",
      "kubeconfig",
      "--name",
      name,
      "--kubeconfig",
      kubeconfig,
    ]);
  }

  /** `kind delete cluster`: removes its containers (and its entry from `kubeconfig`). */
  async deleteCluster(name: string, kubeconfig: string): Promise<void> {
    await this.runner.run(this.binary, [
      "delete",
      "cluster",
      "--name",
      name,
      "--kubeconfig",
      kubeconfig,
    ]);
  }

  /** `kind get clusters`: the names of every kind cluster on this engine. */
  async clusters(): Promise<string[]> {
    const { stdout } = await this.runner.run(this.binary, ["get", "clusters"]);
    return lines(stdout).filter((l) => !l.startsWith("No kind clusters"));
  }

  /** `kind get nodes`: the node containers of one cluster. */
  async nodes(name: string): Promise<string[]> {
    const { stdout } = await this.runner.run(this.binary, ["get", "nodes", "--name", name]);
    return lines(stdout);
  }
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}
