/**
 * An OCI registry on 127.0.0.1: Debian's docker-registry (distribution 2.8) with filesystem
 * storage in a temp dir, started per test file and stopped in teardown. Charts are pushed with
 * the real `helm push --plain-http`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Helm } from "../../src/tools/helm.js";
import { freePort, waitFor } from "./ports.js";
import { tempDir } from "./temp.js";

/** Where scripts/install-system-packages installs the registry. */
export const DOCKER_REGISTRY = "docker-registry";

/** A running registry. */
export interface OciRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  /** `oci://127.0.0.1:<port>/charts`, where pushed charts land. */
  chartsUrl: string;
  /** Pushes a packaged chart (.tgz) under /charts. */
  push(helm: Helm, tgz: string): Promise<void>;
  /** What the registry printed, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** How a registry is set up beyond the defaults. */
export interface OciRegistryOptions {
  /** More top-level lines of config.yml (e.g. an `auth:` block). */
  config?: string[];
}

/**
 * Starts `binary` (docker-registry) on a free loopback port and waits until it answers /v2/
 * (200, or 401 when `options.config` sets up authentication).
 */
export async function startOciRegistry(
  binary: string,
  options: OciRegistryOptions = {},
): Promise<OciRegistry> {
  const dir = await tempDir("oci-registry");
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dir.path, "config.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(dir.path, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${host}`,
      ...(options.config ?? []),
      "",
    ].join("\n"),
  );
  let output = "";
  const child: ChildProcess = spawn(binary, ["serve", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await dir.remove();
  };
  try {
    const died = exited.then(() => {
      throw new Error("docker-registry exited");
    });
    died.catch(() => {}); // the registry exits on close() too; only the race below cares
    await Promise.race([
      waitFor(`docker-registry on ${host}`, async () =>
        [200, 401].includes((await fetch(`http://${host}/v2/`)).status),
      ),
      died,
    ]);
  } catch (err) {
    await close();
    throw new Error(`failed to start docker-registry: ${(err as Error).message}\n${output}`);
  }
  return {
    host,
    port,
    chartsUrl: `oci://${host}/charts`,
    push: async (helm, tgz) => {
      await helm.push(tgz, `oci://${host}/charts`, true);
    },
    log: () => output,
    close,
  };
}
