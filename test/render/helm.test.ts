/**
 * The rendered umbrella through the real helm (v4 and the last v3): dependencies are the
 * local fixture charts, so this runs offline. Asserts the endpoints ConfigMap's URLs, the
 * notebook environment wiring, that a disabled component leaves no objects, the wiring
 * check, the values schema and the profile files.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { render } from "../../src/actions/render.js";
import { CommandError } from "../../src/errors.js";
import { type Helm, type HelmMajor, openHelm } from "../../src/tools/helm.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { context, fixtureProject, tempDir } from "./helpers.js";

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

function objects(manifest: string): K8sObject[] {
  return parseAllDocuments(manifest)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function byName(objs: K8sObject[], kind: string, name: string): K8sObject {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} in ${objs.map((o) => o.metadata.name).join(", ")}`);
  return found;
}

function valuesOf(objs: K8sObject[], name: string): Record<string, unknown> {
  return JSON.parse(byName(objs, "ConfigMap", `${name}-values`).data?.["values.json"] ?? "{}");
}

async function templateError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CommandError) return `${err.message}\n${err.output}`;
    throw err;
  }
  throw new Error("helm template succeeded, expected it to fail");
}

const MAJORS: HelmMajor[] = ["v4", "v3"];

describeWithTools("rendered umbrella under helm template", ["helm", "helm3"], () => {
  for (const major of MAJORS) {
    describe(`helm ${major}`, () => {
      let helm: Helm;
      let chartDir: string;
      const base = { releaseName: "fac", namespace: "lab", kubeVersion: "1.35.4" };

      beforeAll(async () => {
        const root = await fixtureProject("file");
        const result = await render(context(root), { output: "charts/demo" });
        chartDir = result.chartDir;
        const ctx = context(ROOT);
        helm = openHelm(ctx, major, await tempDir("file"));
        await helm.dependency("update", chartDir);
      });

      it("publishes the endpoint of every enabled component under a fixed name", async () => {
        const objs = objects(await helm.template(chartDir, base));
        expect(byName(objs, "ConfigMap", "demo-shoppe-endpoints").data).toEqual({
          HUB_URL: "http://hub.lab.svc:8000",
          CACHE_URL: "root://cache.lab.svc:1094",
          CACHE_HOST: "cache.lab.svc",
          API_URL: "http://fac-api.lab.svc:8080",
        });
        expect(byName(objs, "Service", "fac-api").kind).toBe("Service");
        const hub = valuesOf(objs, "hub");
        expect(hub.extraEnv).toMatchObject({
          GREETING: "hello",
          CACHE_URL: {
            valueFrom: {
              configMapKeyRef: { name: "demo-shoppe-endpoints", key: "CACHE_URL", optional: true },
            },
          },
        });
        expect(valuesOf(objs, "fac-api").transformer).toEqual({ cachePrefix: "cache:1094" });
      });

      it("drops a disabled component's objects and endpoints, keeping the others", async () => {
        const set = { "components.cache.enabled": "false", "api.transformer.cachePrefix": "" };
        const objs = objects(await helm.template(chartDir, { ...base, set }));
        expect(objs.filter((o) => o.metadata.labels?.["fixture/chart"] === "cache")).toEqual([]);
        expect(byName(objs, "ConfigMap", "demo-shoppe-endpoints").data).toEqual({
          HUB_URL: "http://hub.lab.svc:8000",
          API_URL: "http://fac-api.lab.svc:8080",
        });
        // The notebook keeps its optional references: the variables are simply unset.
        expect(Object.keys(valuesOf(objs, "hub").extraEnv as object)).toContain("CACHE_URL");
      });

      it("refuses a value still wired to a disabled component, naming the fix", async () => {
        const message = await templateError(
          helm.template(chartDir, { ...base, set: { "components.cache.enabled": "false" } }),
        );
        expect(message).toContain(
          "api.transformer.cachePrefix is wired to cache (cache:1094), but components.cache.enabled is false",
        );
        expect(message).toContain('--set api.transformer.cachePrefix=""');
      });

      it("leaves no ConfigMap when shoppe.endpoints.create is false", async () => {
        const set = { "shoppe.endpoints.create": "false" };
        const objs = objects(await helm.template(chartDir, { ...base, set }));
        expect(objs.some((o) => o.metadata.name === "demo-shoppe-endpoints")).toBe(false);
      });

      it("refuses the switch under the component's block, naming the one that works", async () => {
        const message = await templateError(
          helm.template(chartDir, { ...base, set: { "cache.enabled": "false" } }),
        );
        expect(message).toContain("value must be 'set components.cache.enabled instead'");
      });

      it("validates values with the umbrella schema, allowing global", async () => {
        const notBoolean = await templateError(
          helm.template(chartDir, { ...base, set: { "components.hub.enabled": "yes" } }),
        );
        expect(notBoolean).toMatch(/components\/hub\/enabled|components\.hub\.enabled/);
        const unknown = await templateError(
          helm.template(chartDir, { ...base, set: { "hbu.enabled": "true" } }),
        );
        expect(unknown).toMatch(/additional propert(y|ies) .*hbu/);
        const withGlobal = await helm.template(chartDir, {
          ...base,
          set: { "global.imageRegistry": "registry.example", "global.storageClass": "fast" },
        });
        expect(withGlobal).toContain("demo-shoppe-endpoints");
      });

      it("renders with every profile file", async () => {
        const ci = path.join(chartDir, "ci/ci-values.yaml");
        const objs = objects(await helm.template(chartDir, { ...base, valuesFiles: [ci] }));
        expect(valuesOf(objs, "cache").persistence).toEqual({ enabled: false });
      });
    });
  }
});
