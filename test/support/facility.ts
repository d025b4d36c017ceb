/**
 * The test facility: a stack.yaml of our own whose components come from the loopback HTTP
 * chart repository (coffea-casa, servicex), the loopback OCI registry (mlflow) and
 * first-party chart directories (xcache; triton, disabled unless the `gpu` profile turns it
 * on), in a temporary project root, rendered with the real `shoppe render`.
 */
import { createHash } from "node:crypto";
import { cp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { render } from "../../src/actions/render.js";
import { type Context, createContext } from "../../src/context.js";
import { ROOT } from "../helpers/tools.js";
import { tempDir } from "./temp.js";

/** The fixture charts, named like the components. */
export const UPSTREAM = path.join(ROOT, "test", "fixtures", "charts-upstream");

/** Where the remote charts are served. */
export interface FacilitySources {
  /** `http://127.0.0.1:<port>` serving coffea-casa and servicex. */
  repoUrl: string;
  /** `oci://127.0.0.1:<port>/charts` holding mlflow. */
  ociUrl: string;
}

/** The release (and umbrella chart) name of the test facility. */
export const RELEASE = "facility";

/** The stack manifest as data; tests change it before writing. */
// biome-ignore lint/suspicious/noExplicitAny: a YAML document under construction.
export type StackDoc = any;

/** stack.yaml of the test facility. */
export function facilityStack(s: FacilitySources): StackDoc {
  const source = { github: "example/facility" };
  return {
    apiVersion: "shoppe.coffea-casa.io/v1alpha1",
    release: {
      name: RELEASE,
      version: "0.3.0",
      description: "Test facility for the chart commands",
    },
    kubernetes: { versions: [{ version: "1.34.13" }, { version: "1.37.2" }] },
    components: {
      "coffea-casa": {
        displayName: "Coffea-Casa",
        description: "Hub and notebooks",
        chart: { repository: s.repoUrl, name: "coffea-casa", version: "2026.1008.3" },
        appVersion: "2026.10.08.3",
        images: [
          { name: "hub", repository: "quay.io/jupyterhub/k8s-hub", tag: "4.4.1" },
          {
            name: "notebook",
            repository: "hub.opensciencegrid.org/coffea-casa/cc-dask-alma9",
            tag: "2026.10.08.3",
          },
        ],
        endpointEnv: "jupyterhub.singleuser.extraEnv",
        endpoints: [
          { name: "hub", env: "JUPYTERHUB_URL", url: "http://proxy-public.{namespace}.svc:80" },
        ],
        source,
      },
      servicex: {
        displayName: "ServiceX",
        description: "Columnar data delivery",
        chart: { repository: s.repoUrl, name: "servicex", version: "1.5.3" },
        appVersion: "1.5.3",
        images: [
          { name: "app", repository: "sslhep/servicex_app", tag: "v1.5.3" },
          {
            name: "did-finder",
            repository: "sslhep/servicex-did-finder-cernopendata",
            tag: "v1.5.3",
          },
          { name: "code-gen", repository: "sslhep/servicex_code_gen_raw_uproot", tag: "v1.5.3" },
          { name: "sidecar", repository: "sslhep/servicex_sidecar_transformer", tag: "v1.5.3" },
          {
            name: "transformer",
            repository: "sslhep/servicex_func_adl_uproot_transformer",
            tag: "uproot5",
          },
          // Pinned fully qualified; the chart writes `alpine:3.6`.
          { name: "checks", repository: "docker.io/library/alpine", tag: "3.6" },
          {
            name: "rabbitmq",
            repository: "docker.io/bitnamilegacy/rabbitmq",
            tag: "3.12.13-debian-12-r2",
          },
        ],
        values: { app: { auth: false, replicas: 2 } },
        endpoints: [
          {
            name: "api",
            env: "SERVICEX_HOST",
            url: "http://{release}-servicex-app.{namespace}.svc:8000",
          },
        ],
        consumes: [{ endpoint: "xcache.root", value: "transformer.cachePrefix" }],
        source,
      },
      xcache: {
        displayName: "XCache",
        description: "XRootD proxy cache",
        chart: { path: "charts/xcache", name: "xcache", version: "0.1.0" },
        appVersion: "25",
        images: [
          {
            name: "xcache",
            repository: "hub.opensciencegrid.org/osg-htc/xcache",
            tag: "25-release",
          },
        ],
        values: { fullnameOverride: "xcache" },
        endpoints: [{ name: "root", env: "XCACHE_URL", url: "root://xcache.{namespace}.svc:1094" }],
        source,
      },
      triton: {
        displayName: "Triton",
        description: "Inference server",
        enabled: false,
        chart: { path: "charts/triton", name: "triton", version: "0.1.0" },
        appVersion: "2.71.0",
        images: [{ name: "server", repository: "nvcr.io/nvidia/tritonserver", tag: "26.07-py3" }],
        values: { fullnameOverride: "triton" },
        endpoints: [{ name: "http", env: "TRITON_URL", url: "http://triton.{namespace}.svc:8000" }],
        source,
      },
      mlflow: {
        displayName: "MLflow",
        description: "Tracking server",
        chart: { repository: s.ociUrl, name: "mlflow", version: "1.11.5" },
        appVersion: "3.15.1",
        images: [{ name: "server", repository: "burakince/mlflow", tag: "3.15.1" }],
        values: { fullnameOverride: "mlflow" },
        endpoints: [
          { name: "tracking", env: "MLFLOW_TRACKING_URI", url: "http://mlflow.{namespace}.svc:80" },
        ],
        source,
      },
    },
    profiles: {
      ci: { description: "Small", values: { servicex: { app: { replicas: 1 } } } },
      gpu: {
        description: "Triton on a GPU",
        values: { components: { triton: { enabled: true } } },
      },
    },
  };
}

/** A temporary project root holding the facility. */
export interface FacilityProject {
  root: string;
  ctx: Context;
  /** The rendered umbrella chart directory. */
  chartDir: string;
  /** Writes stack.yaml and renders the umbrella with `shoppe render`. */
  writeAndRender(stack: StackDoc): Promise<void>;
  /** sha256 of every file under the chart directory, by relative path. */
  snapshot(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** PATH with the pinned tools first, as the CLI sees it in a project. */
export function toolPath(): string {
  return `${path.join(ROOT, ".tools", "bin")}${path.delimiter}${process.env.PATH ?? ""}`;
}

/** Creates a project with the first-party charts copied in, renders `stack`. */
export async function createFacility(stack: StackDoc): Promise<FacilityProject> {
  const dir = await tempDir("facility");
  const root = dir.path;
  for (const c of ["xcache", "triton"]) {
    await cp(path.join(UPSTREAM, c), path.join(root, "charts", c), { recursive: true });
  }
  const ctx = createContext({ root, env: { ...process.env, PATH: toolPath() } });
  const chartDir = path.join(root, "charts", RELEASE);
  const project: FacilityProject = {
    root,
    ctx,
    chartDir,
    async writeAndRender(doc) {
      await writeFile(path.join(root, "stack.yaml"), stringify(doc));
      await render(ctx, {});
    },
    snapshot: () => hashTree(chartDir),
    close: () => dir.remove(),
  };
  await project.writeAndRender(stack);
  return project;
}

/** sha256 of every file below `dir`, keyed by path relative to it. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = path.join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else
        out[path.relative(dir, p)] = createHash("sha256")
          .update(await readFile(p))
          .digest("hex");
    }
  };
  await walk(dir);
  return out;
}
