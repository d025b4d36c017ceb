/**
 * The committed umbrella (charts/coffea-shoppe) under the real helm, offline: the first-party
 * charts/xcache and charts/triton as they are, and the stand-ins of the three upstream charts
 * (test/fixtures/charts-upstream, same names, Services and ports). Checks that every
 * endpoint stack.yaml publishes names a Service and port the charts really create.
 */
import { cp } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { context, tempDir } from "./helpers.js";

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: { ports?: { port: number }[] };
  data?: Record<string, string>;
}

const UPSTREAM = ["coffea-casa", "servicex", "mlflow"];

async function stage(): Promise<string> {
  const root = await tempDir("file");
  const umbrella = path.join(root, "charts/coffea-shoppe");
  await cp(path.join(ROOT, "charts/coffea-shoppe"), umbrella, { recursive: true });
  for (const c of ["xcache", "triton"]) {
    await cp(path.join(ROOT, "charts", c), path.join(umbrella, "charts", c), { recursive: true });
  }
  for (const c of UPSTREAM) {
    const from = path.join(ROOT, "test/fixtures/charts-upstream", c);
    await cp(from, path.join(umbrella, "charts", c), { recursive: true });
  }
  return umbrella;
}

function objects(manifest: string): K8sObject[] {
  return parseAllDocuments(manifest)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

describeWithTools("committed umbrella chart under helm template", ["helm"], () => {
  let helm: Helm;
  let chart: string;
  const base = { releaseName: "fac", namespace: "lab", kubeVersion: "1.35.4" };

  beforeAll(async () => {
    helm = openHelm(context(ROOT), "v4", await tempDir("file"));
    chart = await stage();
  });

  it("publishes endpoints that name Services and ports the charts create", async () => {
    const ci = path.join(chart, "ci/ci-values.yaml");
    const objs = objects(await helm.template(chart, { ...base, valuesFiles: [ci] }));
    const cm = objs.find(
      (o) => o.kind === "ConfigMap" && o.metadata.name === "coffea-shoppe-endpoints",
    );
    expect(cm?.data).toEqual({
      JUPYTERHUB_URL: "http://proxy-public.lab.svc:80",
      SERVICEX_HOST: "http://fac-servicex-app.lab.svc:8000",
      XCACHE_URL: "root://xcache.lab.svc:1094",
      XCACHE_HOST: "xcache.lab.svc",
      XCACHE_PORT: "1094",
      TRITON_URL: "http://triton.lab.svc:8000",
      TRITON_GRPC_URL: "grpc://triton.lab.svc:8001",
      MLFLOW_TRACKING_URI: "http://mlflow.lab.svc:5000",
    });
    const services = new Map(
      objs
        .filter((o) => o.kind === "Service")
        .map((o) => [o.metadata.name, (o.spec?.ports ?? []).map((p) => p.port)]),
    );
    for (const url of Object.values(cm?.data ?? {}).filter((v) => v.includes("://"))) {
      const m = /^\w+:\/\/([^.]+)\.lab\.svc:(\d+)$/.exec(url);
      expect(m, url).not.toBeNull();
      expect(services.get(m?.[1] ?? ""), `Service for ${url}`).toContain(Number(m?.[2]));
    }
  });

  it("installs without XCache once the wired cache prefix is cleared", async () => {
    const set = { "components.xcache.enabled": "false", "servicex.transformer.cachePrefix": "" };
    const objs = objects(await helm.template(chart, { ...base, set }));
    expect(objs.some((o) => o.metadata.name.startsWith("xcache"))).toBe(false);
    const cm = objs.find((o) => o.metadata.name === "coffea-shoppe-endpoints");
    expect(Object.keys(cm?.data ?? {}).some((k) => k.startsWith("XCACHE"))).toBe(false);
  });
});
