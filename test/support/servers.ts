/**
 * The loopback servers the chart tests need, started together: an HTTP chart repository with
 * coffea-casa and servicex and an OCI registry holding mlflow, both filled with the real helm.
 */
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { chartDeps } from "../../src/actions/chart.js";
import { createContext } from "../../src/context.js";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { ROOT } from "../helpers/tools.js";
import { type ChartRepo, startChartRepo } from "./chart-repo.js";
import {
  createFacility,
  type FacilityProject,
  facilityStack,
  type StackDoc,
  UPSTREAM,
} from "./facility.js";
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

/** What a chart-command suite works on: the servers, a facility project and its good stack. */
export interface FacilitySuite {
  servers: ChartServers;
  project: FacilityProject;
  good: StackDoc;
}

/**
 * Starts the chart servers and a facility project pointing at them before the enclosing
 * suite (with `buildDeps`, also `shoppe chart deps`, the good state tests start from) and
 * stops both after it. Returns a getter for use inside tests and hooks.
 */
export function useFacility(options: { buildDeps?: boolean } = {}): () => FacilitySuite {
  let suite: FacilitySuite | undefined;
  let servers: ChartServers | undefined;
  let project: FacilityProject | undefined;
  beforeAll(async () => {
    servers = await startChartServers();
    const good = facilityStack({ repoUrl: servers.repo.url, ociUrl: servers.registry.chartsUrl });
    project = await createFacility(good);
    if (options.buildDeps) await chartDeps(project.ctx);
    suite = { servers, project, good };
  });
  afterAll(async () => {
    await project?.close();
    await servers?.close();
  });
  return () => {
    if (!suite) throw new Error("the facility suite is not set up yet");
    return suite;
  };
}
