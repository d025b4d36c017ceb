/**
 * The facility the chart tests build from: the real charts on loopback servers, filled with
 * the real helm. A chart repository on 127.0.0.1 serves the real coffea-casa and servicex
 * archives (indexed with `helm repo index --url`); Debian's docker-registry holds the real
 * mlflow, pushed with `helm push`. The project is the real stack.yaml with only those
 * repository URLs pointed at the servers (real-project.ts).
 */
import { afterAll, beforeAll } from "vitest";
import { chartDeps } from "../../src/actions/chart.js";
import { createContext } from "../../src/context.js";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { ROOT } from "../helpers/tools.js";
import { type ChartRepo, startChartRepo } from "./chart-repo.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "./oci-registry.js";
import { type RealArchive, realArchives } from "./real-archives.js";
import { createRealProject, type RealProject, realStack, type StackDoc } from "./real-project.js";
import { tempDir } from "./temp.js";

/** The component whose chart the registry holds; every other HTTP chart is in the repository. */
export const IN_REGISTRY = "mlflow";

/** Both servers, what they hold and the helm used to fill them. */
export interface ChartServers {
  repo: ChartRepo;
  registry: OciRegistry;
  /** The real archives served, by component (substitutes say so). */
  archives: RealArchive[];
  /** Upstream repository URL as stack.yaml pins it → the loopback URL now serving that chart. */
  urls: Map<string, string>;
  helm: Helm;
  close(): Promise<void>;
}

/** A helm (v4) with a throwaway home, for filling the servers. */
export async function serverHelm(): Promise<{ helm: Helm; close(): Promise<void> }> {
  const home = await tempDir("server-helm");
  const helm = openHelm(createContext({ root: ROOT }), "v4", home.path);
  return { helm, close: home.remove };
}

/** Starts the repository (coffea-casa, servicex) and the registry (mlflow pushed). */
export async function startChartServers(): Promise<ChartServers> {
  const archives = await realArchives();
  const h = await serverHelm();
  const closers: (() => Promise<void>)[] = [h.close];
  const close = async () => {
    const errors: unknown[] = [];
    for (const c of closers.reverse()) await c().catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, "failed to stop the chart test servers");
  };
  try {
    const inRepo = archives.filter((a) => a.component !== IN_REGISTRY);
    const repo = await startChartRepo(
      h.helm,
      inRepo.map((a) => a.file),
    );
    closers.push(repo.close);
    const registry = await startOciRegistry(DOCKER_REGISTRY);
    closers.push(registry.close);
    const pushed = archives.find((a) => a.component === IN_REGISTRY);
    if (!pushed) throw new Error(`stack.yaml no longer pins ${IN_REGISTRY} from a repository`);
    await registry.push(h.helm, pushed.file);
    const urls = new Map(
      archives.map((a) => [a.repository, a === pushed ? registry.chartsUrl : repo.url]),
    );
    return { repo, registry, archives, urls, helm: h.helm, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

/** What a chart-command suite works on: the servers, the project and the stack it started with. */
export interface FacilitySuite {
  servers: ChartServers;
  project: RealProject;
  /** The real stack.yaml pointed at the servers: edit a copy for a variation. */
  good: StackDoc;
}

/**
 * Starts the chart servers and a project of the real stack pointed at them before the
 * enclosing suite (with `buildDeps`, also `shoppe chart deps`, the good state tests start from)
 * and stops both after it. Returns a getter for use inside tests and hooks.
 */
export function useFacility(options: { buildDeps?: boolean } = {}): () => FacilitySuite {
  let suite: FacilitySuite | undefined;
  let servers: ChartServers | undefined;
  let project: RealProject | undefined;
  beforeAll(async () => {
    servers = await startChartServers();
    project = await createRealProject(await realStack(servers.urls));
    if (options.buildDeps) await chartDeps(project.ctx);
    suite = { servers, project, good: structuredClone(project.stack) };
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
