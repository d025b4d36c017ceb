/**
 * The findings of `../shared/upstream/pins-check.md` on the real charts: each fix of
 * `stack.yaml` proven by what the real charts render (and why it is needed), and each known
 * upstream problem of docs/stack.md proven still present in the mirrored sources — so the day
 * upstream fixes one, its test fails and the entry is revisited.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { CommandError } from "../../src/errors.js";
import { findRemovedApis } from "../../src/kube/api-removals.js";
import { type Helm, openHelm } from "../../src/tools/helm.js";
import { runCli } from "../helpers/cli.js";
import { findTool, toolPath } from "../helpers/tools.js";
import { chartVersionOfTag, checkoutCasa, packageCasa } from "../support/casa-source.js";
import { copyMirror } from "../support/mirror-edits.js";
import { createRealProject, type RealProject } from "../support/real-project.js";
import { tempDir } from "../support/temp.js";
import {
  CASA,
  describeWithUpstream,
  UPSTREAM_SOURCE,
  upstreamMirror,
} from "../support/upstream-mirror.js";

const env = { PATH: toolPath() };

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
}

function objects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

describeWithUpstream(
  "pins-check findings on the real charts (coffea-casa and mlflow substitutes)",
  ["helm", "python3", "git"],
  () => {
    let project: RealProject;
    let helm: Helm;
    let casaRepo: string;
    let work: Awaited<ReturnType<typeof tempDir>>;
    const release = { releaseName: "fac", namespace: "lab", kubeVersion: "1.35.8" };
    const ci = () => path.join(project.chartDir, "ci", "ci-values.yaml");
    const production = () => path.join(project.chartDir, "ci", "production-values.yaml");
    const template = (o: { values?: string[]; set?: Record<string, string> } = {}) =>
      helm.template(project.chartDir, { ...release, valuesFiles: o.values ?? [ci()], set: o.set });
    const templateError = async (set: Record<string, string>) => {
      try {
        await template({ set });
      } catch (err) {
        return String((err as { output?: string }).output ?? err);
      }
      throw new Error(`helm template with ${JSON.stringify(set)} succeeded`);
    };

    beforeAll(async () => {
      const mirror = await upstreamMirror();
      project = await createRealProject();
      const deps = await runCli(["chart", "deps", "--mirror", mirror], project.root, env);
      if (deps.code !== 0) throw new Error(`chart deps failed:\n${deps.stderr}`);
      helm = openHelm(project.ctx, "v4");
      work = await tempDir("known-problems");
      casaRepo = await checkoutCasa(UPSTREAM_SOURCE, work.path, CASA.tag);
      return async () => {
        await project.close();
        await work.remove();
      };
    });

    /** Runs the rendered ServiceX app.conf the way the API server loads it (Python exec). */
    async function runAppConf(text: string): Promise<{ code: number; out: string }> {
      const cm = objects(text).find((o) => o.kind === "ConfigMap" && o.data?.["app.conf"]);
      const file = path.join(work.path, `app-${Date.now()}.conf`);
      await writeFile(file, cm?.data?.["app.conf"] ?? "");
      const python = findTool("python3") as string;
      const code = `exec(open(${JSON.stringify(file)}).read()); print(repr(TRANSFORMER_CACHE_PREFIX))`;
      try {
        return { code: 0, out: (await project.ctx.runner.run(python, ["-c", code])).stdout };
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        return { code: err.exitStatus ?? -1, out: err.output };
      }
    }

    it("ServiceX loads its app.conf with the wired cache prefix; a bare host:port is a SyntaxError", async () => {
      const wired = await runAppConf(await template());
      expect(wired).toEqual({ code: 0, out: "'xcache:1094'\n" });
      const bare = await runAppConf(
        await template({ set: { "servicex.transformer.cachePrefix": "xcache:1094" } }),
      );
      expect(bare.code).not.toBe(0);
      expect(bare.out).toContain("SyntaxError");
      // The value the wiring check tells an operator to set when XCache is off.
      const unset = await helm.template(project.chartDir, {
        ...release,
        valuesFiles: [ci()],
        set: { "components.xcache.enabled": "false" },
        setString: { "servicex.transformer.cachePrefix": '""' },
      });
      expect(await runAppConf(unset)).toEqual({ code: 0, out: "''\n" });
    });

    it("ServiceX refuses to render without certificates while the Rucio finder is on", async () => {
      expect(await templateError({ "servicex.didFinder.rucio.enabled": "true" })).toContain(
        "Rucio DID Finder requires x509 Certs to be installed",
      );
    });

    it("MLflow's strict schema rejects an enabled key, so the switch lives in components", async () => {
      const message = await templateError({ "mlflow.enabled": "true" });
      expect(message).toContain("mlflow:\n- at '': additional properties 'enabled' not allowed");
      expect(message).toContain("value must be 'set components.mlflow.enabled instead'");
      const off = objects(await template({ set: { "components.mlflow.enabled": "false" } }));
      expect(off.some((o) => o.metadata.name === "mlflow")).toBe(false);
    });

    it("Coffea-Casa's own values pin the old hub image the stack overrides", async () => {
      const archive = path.join(project.chartDir, "charts", `coffea-casa-${CASA.version}.tgz`);
      const values = parse(await helm.showValues(archive));
      expect(values.jupyterhub.hub.image).toEqual({ name: "jupyterhub/k8s-hub", tag: "1.2.0" });
      const hub = objects(await template()).find(
        (o) => o.kind === "Deployment" && o.metadata.name === "hub",
      ) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
      expect(hub.spec.template.spec.containers[0]?.image).toBe("quay.io/jupyterhub/k8s-hub:4.4.1");
    });

    it("production mounts homes where the image's user cms-jovyan lives", async () => {
      const secret = objects(await template({ values: [production()] })).find(
        (o) => o.kind === "Secret" && o.metadata.name === "hub",
      );
      const hubValues = parse(
        Buffer.from(secret?.data?.["values.yaml"] ?? "", "base64").toString(),
      );
      expect(hubValues.singleuser.storage).toMatchObject({
        type: "dynamic",
        homeMountPath: "/home/cms-jovyan",
      });
    });

    it("notebooks get SERVICEX_HOST and SERVICEX_TYPE, and the image's own script writes ~/.servicex from them", async () => {
      const script = await readFile(
        path.join(casaRepo, "docker", "prepare-env", "prepare-env-cc.sh"),
        "utf8",
      );
      // The image's ServiceX block, as it runs at notebook start.
      const block = /^if \[\[ -n "\$\{SERVICEX_HOST:-\}".*?^fi$/ms.exec(script)?.[0];
      expect(block, "prepare-env-cc.sh no longer has its ServiceX block").toBeDefined();
      const objs = objects(await template());
      const hub = objs.find((o) => o.kind === "Secret" && o.metadata.name === "hub");
      const extraEnv = parse(Buffer.from(hub?.data?.["values.yaml"] ?? "", "base64").toString())
        .singleuser.extraEnv as Record<string, unknown>;
      const cm = objs.find((o) => o.metadata.name === "coffea-shoppe-endpoints");
      expect(extraEnv.SERVICEX_HOST).toEqual({
        valueFrom: {
          configMapKeyRef: {
            name: "coffea-shoppe-endpoints",
            key: "SERVICEX_HOST",
            optional: true,
          },
        },
      });
      const home = path.join(work.path, "home");
      await mkdir(home, { recursive: true });
      await project.ctx.runner.run("bash", ["-c", block as string], {
        env: {
          HOME: home,
          SERVICEX_HOST: cm?.data?.SERVICEX_HOST,
          SERVICEX_TYPE: extraEnv.SERVICEX_TYPE as string,
        },
      });
      expect(parse(await readFile(path.join(home, ".servicex"), "utf8"))).toEqual({
        api_endpoints: [
          { name: "uproot", endpoint: "http://fac-servicex-app.lab.svc:8000", type: "uproot" },
        ],
      });
    });

    it("notebooks get XCACHE_HOST as the bare host the image's XRootD plugin reads, replacing the image's baked-in site", async () => {
      const dockerfile = await readFile(
        path.join(casaRepo, "docker", "Dockerfile.cc-dask-alma9"),
        "utf8",
      );
      // The image bakes another site's cache in as a default (ARG, then ENV XCACHE_HOST).
      const baked = /^ARG XCACHE_HOST="([^"]+)"/m.exec(dockerfile)?.[1];
      expect(dockerfile).toMatch(/^ENV XCACHE_HOST \$XCACHE_HOST$/m);
      expect(baked).toMatch(/^[a-z0-9.-]+$/); // a host name: no scheme, no port
      const objs = objects(await template());
      const cm = objs.find((o) => o.metadata.name === "coffea-shoppe-endpoints");
      expect(cm?.data?.XCACHE_HOST).toBe("xcache.lab.svc");
      const hub = objs.find((o) => o.kind === "Secret" && o.metadata.name === "hub");
      const extraEnv = parse(Buffer.from(hub?.data?.["values.yaml"] ?? "", "base64").toString())
        .singleuser.extraEnv as Record<string, { valueFrom?: unknown }>;
      // The spawner sets it on the container, which overrides the image's ENV.
      expect(extraEnv.XCACHE_HOST?.valueFrom).toEqual({
        configMapKeyRef: { name: "coffea-shoppe-endpoints", key: "XCACHE_HOST", optional: true },
      });
    });

    it("known problem 3: every profile creates the dummy xcache-token and dask-certs Secrets", async () => {
      for (const values of [[ci()], [production()]]) {
        const secrets = objects(await template({ values }))
          .filter((o) => o.kind === "Secret")
          .map((o) => o.metadata.name);
        expect(secrets).toEqual(expect.arrayContaining(["xcache-token", "dask-certs"]));
      }
    });

    it("known problem 4: the production user-scheduler is older than Kubernetes' skew policy allows", async () => {
      const scheduler = objects(await template({ values: [production()] })).find(
        (o) => o.kind === "Deployment" && o.metadata.name === "user-scheduler",
      ) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
      const image = scheduler.spec.template.spec.containers[0]?.image ?? "";
      const minor = Number(/kube-scheduler:v1\.(\d+)\./.exec(image)?.[1]);
      // When this fails, z2jh caught up: revisit docs/stack.md known problem 4.
      expect(34 - minor, image).toBeGreaterThan(1);
    });

    it("known problem 2: the notebook image's JupyterHub is still a major behind the hub z2jh 4.4 runs", async () => {
      const env = await readFile(path.join(casaRepo, "docker", "env", "casa-dask.yaml"), "utf8");
      const image = /jupyterhub==(\d+)\.\d+\.\d+/.exec(env);
      const z2jh = parse(
        await helm.showChart(path.join(UPSTREAM_SOURCE, "charts/jupyterhub/jupyterhub-4.4.0.tgz")),
      );
      expect(image?.[1], "jupyterhub pin of docker/env/casa-dask.yaml").toBe("3");
      expect(String(z2jh.appVersion)).toMatch(/^5\./);
      // When this fails, upstream closed the gap: revisit docs/stack.md known problem 2.
      expect(image?.[1]).not.toBe(String(z2jh.appVersion).split(".")[0]);
    });

    it("known problem 1: a Coffea-Casa chart built from the 2026.08.12.2 sources is flagged as not installable", async () => {
      const version = chartVersionOfTag(CASA.tag);
      const mirror = await copyMirror(await upstreamMirror(), async (dir) => {
        const charts = path.join(dir, "charts");
        const chart = parse(
          await readFile(path.join(casaRepo, "charts/coffea-casa/Chart.yaml"), "utf8"),
        );
        await mkdir(path.join(work.path, "packaged"), { recursive: true });
        await packageCasa(casaRepo, path.join(charts, "coffea-casa"), {
          version,
          appVersion: CASA.tag,
          // Its own dependencies, as the sources declare them: z2jh 0.11 and ServiceX 1.0.16.
          dependencies: chart.dependencies.map((d: { name: string; version: string }) => ({
            ...d,
            file: path.join(
              charts,
              d.name === "jupyterhub" ? "jupyterhub" : "ssl-helm-charts",
              `${d.name}-${d.version}.tgz`,
            ),
          })),
          helmHome: path.join(work.path, "helm"),
        });
      });
      const old = await createRealProject();
      try {
        const stack = structuredClone(old.stack);
        stack.components["coffea-casa"].chart.version = version;
        await old.writeAndRender(stack);
        const deps = await runCli(["chart", "deps", "--mirror", mirror.path], old.root, env);
        expect(deps.code, deps.stderr).toBe(0);
        // z2jh 0.11's schema wants CPU amounts as strings; the error names the stack.yaml
        // line, under the component that embeds the chart helm names.
        const schema = await runCli(["chart", "template", "-p", "ci"], old.root, env);
        expect(schema.code).toBe(2);
        expect(schema.stderr).toContain(
          'values for "coffea-casa (its jupyterhub chart)" do not match its chart\'s schema with profile ci',
        );
        expect(schema.stderr).toMatch(
          /stack\.yaml:\d+:\d+: profiles\.ci\.values\.coffea-casa\.jupyterhub\.singleuser\.cpu\.guarantee: jupyterhub \/singleuser\/cpu\/guarantee: got number, want null or string/,
        );
        // With values it accepts, it renders objects no supported Kubernetes serves.
        stack.profiles.ci.values["coffea-casa"].jupyterhub.singleuser.cpu = {
          guarantee: "0.05",
          limit: "1",
        };
        await old.writeAndRender(stack);
        const r = await runCli(["--json", "chart", "template", "-p", "ci"], old.root, env);
        expect(r.code, r.stderr).toBe(1);
        const removed = JSON.parse(r.stdout).renders.flatMap(
          (x: { removedApis: string[] }) => x.removedApis,
        );
        expect(removed).toContain(
          "PodDisruptionBudget/user-placeholder: policy/v1beta1 was removed in Kubernetes 1.25; use policy/v1",
        );
        // And the pinned chart (z2jh 4.4.x) renders none.
        const pinned = objects(await template());
        expect(findRemovedApis(pinned as never, "1.37.0")).toEqual([]);
      } finally {
        await old.close();
        await mirror.remove();
      }
    });
  },
);
