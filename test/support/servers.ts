/**
 * The loopback servers the chart tests need, started together: an HTTP chart repository with
 * coffea-casa and servicex and an OCI registry holding mlflow, both filled with the real helm.
 */
import path from "node:path";
import { createContext } from "../../src/context.js";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { ROOT } from "../helpers/tools.js";
import { type ChartRepo, startChartRepo } from "./chart-repo.js";
import { UPSTREAM } from "./facility.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "./oci-registry.js";
import { tempDir } from "./temp.js";

/** Both servers and the helm used to fill them. */
export interface ChartServers {
  repo: ChartRepo;
  registry: OciRegistry;
  helm: Helm;
  close(): Promise<void>;
}

/** A helm (v4) with a throwaway home, for packaging and pushing fixtures. */
export async function fixtureHelm(): Promise<{ helm: Helm; close(): Promise<void> }> {
  const home = await tempDir("fixture-helm");
  const helm = openHelm(createContext({ root: ROOT }), "v4", home.path);
  return { helm, close: home.remove };
}

/** Starts the repository (coffea-casa, servicex) and the registry (mlflow pushed). */
export async function startChartServers(): Promise<ChartServers> {
  const h = await fixtureHelm();
  const closers: (() => Promise<void>)[] = [h.close];
  const close = async () => {
    const errors: unknown[] = [];
    for (const c of closers.reverse()) await c().catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, "failed to stop the chart test servers");
  };
  try {
    const repo = await startChartRepo(
      h.helm,
      ["coffea-casa", "servicex"].map((c) => path.join(UPSTREAM, c)),
    );
    closers.push(repo.close);
    const registry = await startOciRegistry(DOCKER_REGISTRY);
    closers.push(registry.close);
    const pkg = await tempDir("fixture-packages");
    closers.push(pkg.remove);
    await registry.push(h.helm, await h.helm.package(path.join(UPSTREAM, "mlflow"), pkg.path));
    return { repo, registry, helm: h.helm, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
