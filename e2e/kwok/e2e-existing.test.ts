/**
 * The existing provider and `shoppe support-bundle` against one kwok cluster created
 * separately, as a facility's staging cluster would be: the run works in a namespace of its
 * own and removes only what it created; it refuses a namespace it did not create and an
 * unreachable kubeconfig with nothing created; it sees that the nodes are simulated and
 * records tier control-plane, never cluster. The support bundle of a namespace holding a
 * Secret with a known token has the token nowhere in it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import type { Cluster } from "../../src/e2e/providers/provider.js";
import { readTarGz } from "../../src/helm/tar-gz.js";
import { openHelm } from "../../src/tools/helm.js";
import { readPins } from "../../src/tools/pins.js";
import { type FixtureProject, fixtureProject } from "../../test/e2e-run/fixture-project.js";
import { runCli } from "../../test/helpers/cli.js";
import { describeWithTools, ROOT } from "../../test/helpers/tools.js";
import { readBundle, readRuns } from "./e2e-support.js";

const TOOLS = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "helm",
];
const TOKEN = "shoppe-known-token-5f0c9b2e7d41";

describeWithTools(
  "the existing provider and support-bundle on a kwok cluster created separately",
  TOOLS,
  () => {
    const stateRoot = path.join(ROOT, ".shoppe", "e2e-kwok");
    const name = `existing-${process.pid.toString(36)}`;
    let provider: KwokProvider;
    let cluster: Cluster;
    let kc: KubeConfig;
    let project: FixtureProject;

    /** What was there before any run: it must be there after every run. */
    async function theirs(): Promise<string[]> {
      const core = kc.makeApiClient(CoreV1Api);
      const ns = (await core.listNamespace()).items.map((n) => n.metadata?.name ?? "");
      const roles = (
        await kc
          .makeApiClient(RbacAuthorizationV1Api)
          .listClusterRole({ labelSelector: "facility=staging" })
      ).items;
      return [...ns.sort(), ...roles.map((r) => `ClusterRole/${r.metadata?.name}`)];
    }

    beforeAll(async () => {
      project = await fixtureProject();
      provider = new KwokProvider(project.ctx, { stateRoot });
      cluster = await provider.create({
        name,
        nodes: 2,
        nodeResources: { cpu: "16", memory: "64Gi" },
        kubernetesVersion: readPins(ROOT).kube ?? "",
        lifetime: "session",
      });
      kc = new KubeConfig();
      kc.loadFromFile(cluster.kubeconfig);
      const core = kc.makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: "staging" } } });
      await kc.makeApiClient(RbacAuthorizationV1Api).createClusterRole({
        body: { metadata: { name: "facility-reader", labels: { facility: "staging" } }, rules: [] },
      });
    }, 300_000);

    afterAll(async () => {
      await provider?.delete(name);
      await project?.close();
    }, 120_000);

    it("runs in a namespace of its own, sees simulated nodes, names the component that never got ready, and removes only what it created", async () => {
      const before = await theirs();
      const r = await runCli(
        [
          "e2e",
          "run",
          "--provider",
          "existing",
          "--kubeconfig",
          cluster.kubeconfig,
          "--profile",
          "never-ready",
          "--timeout",
          "8s",
        ],
        project.root,
        project.env,
      );
      expect(r.code, r.stderr).toBe(1);
      const [run] = readRuns(path.join(project.root, ".shoppe/e2e"));
      const res = run?.results;
      expect(res?.provider).toMatchObject({
        name: "existing",
        runsContainers: false,
        chosenBecause: "named by --provider",
      });
      expect(res?.tier).toBe("control-plane");
      expect(res?.namespace).toMatch(/^shoppe-e2e-[0-9a-f]{8}$/);
      expect(res?.kubernetes).toEqual({
        version: readPins(ROOT).kube?.slice(1),
        served: readPins(ROOT).kube,
      });
      const store = res?.components.find((c) => c.id === "store");
      expect(store?.status).toBe("failed");
      expect(store?.reason).toMatch(
        /running but not ready: Readiness probe failed: simulated by kwok/,
      );
      expect(res?.teardown).toMatchObject({
        status: "done",
        detail: expect.stringContaining(`namespace ${res?.namespace} deleted`),
      });
      const bundle = await readBundle(run?.dir as string);
      expect(bundle.get("SUMMARY.md")).toMatch(
        /\*\*store\*\* failed first: running but not ready: Readiness probe failed/,
      );
      expect(await theirs()).toEqual(before);
      expect(await openHelm(project.ctx).list({ kubeconfig: cluster.kubeconfig })).toEqual([]);
    }, 180_000);

    it("refuses a namespace it did not create and an unreachable cluster, creating nothing", async () => {
      const before = await theirs();
      const taken = await runCli(
        [
          "-q",
          "e2e",
          "run",
          "--provider",
          "existing",
          "--kubeconfig",
          cluster.kubeconfig,
          "--namespace",
          "staging",
          "--results",
          "refused",
        ],
        project.root,
        project.env,
      );
      expect(taken.code).toBe(2);
      expect(taken.stderr).toBe(
        "error: namespace staging exists and shoppe did not create it; shoppe e2e run works only in a namespace it creates: pass another --namespace\n",
      );
      const gone = path.join(project.root, "gone.kubeconfig");
      writeFileSync(
        gone,
        readFileSync(cluster.kubeconfig, "utf8").replace(
          /server: https:\/\/127\.0\.0\.1:\d+/,
          "server: https://127.0.0.1:1",
        ),
      );
      const unreachable = await runCli(
        [
          "-q",
          "e2e",
          "run",
          "--provider",
          "existing",
          "--kubeconfig",
          gone,
          "--results",
          "refused",
        ],
        project.root,
        project.env,
      );
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toMatch(
        /^error: failed to run the existing provider: .*failed to reach the cluster of context "kwok-[^"]+" at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*\n$/,
      );
      expect(await theirs()).toEqual(before);
      expect((await import("node:fs")).existsSync(path.join(project.root, "refused"))).toBe(false);
      expect(await openHelm(project.ctx).list({ kubeconfig: cluster.kubeconfig })).toEqual([]);
    }, 60_000);

    it("support-bundle of a release holding a Secret with a known token: the token is nowhere in the archive", async () => {
      const core = kc.makeApiClient(CoreV1Api);
      const namespace = "vault";
      await core.createNamespace({ body: { metadata: { name: namespace } } });
      await core.createNamespacedSecret({
        namespace,
        body: {
          metadata: { name: "creds" },
          stringData: { token: TOKEN, "config.ini": `[auth]\ntoken = ${TOKEN}\n` },
        },
      });
      // The token also leaks where it should not: a ConfigMap and a pod's plain env value.
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: "leaky" }, data: { "app.conf": `url=https://x?token=${TOKEN}` } },
      });
      const helm = openHelm(project.ctx);
      await helm.install("web", path.join(project.root, "charts/web"), {
        namespace,
        kubeconfig: cluster.kubeconfig,
        wait: true,
        timeout: "60s",
      });
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: "client" },
          spec: {
            containers: [
              {
                name: "c",
                image: "example.org/c:1",
                env: [{ name: "SERVICE_TOKEN", value: TOKEN }],
              },
            ],
          },
        },
      });
      const r = await runCli(
        [
          "--json",
          "support-bundle",
          "--kubeconfig",
          cluster.kubeconfig,
          "--release",
          "web",
          "-o",
          "ticket.tar.gz",
        ],
        project.root,
        project.env,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        file: "ticket.tar.gz",
        namespaces: [namespace],
        releases: [{ name: "web", namespace }],
      });
      const archive = readFileSync(path.join(project.root, "ticket.tar.gz"));
      const raw = gunzipSync(archive).toString("latin1");
      const forms = [
        TOKEN,
        Buffer.from(TOKEN).toString("base64"),
        Buffer.from(`[auth]\ntoken = ${TOKEN}\n`).toString("base64"),
      ];
      // The web chart's container has API_TOKEN as a plain value: masked by its name.
      for (const form of [...forms, "fixture-web-token-not-a-secret"]) {
        expect(raw).not.toContain(form);
      }
      const files = new Map(
        [...(await readTarGz(archive))].map(([k, v]) => [
          k.split("/").slice(1).join("/"),
          v.toString(),
        ]),
      );
      expect(files.get(`namespaces/${namespace}/objects/core/Secret/creds.yaml`)).toContain(
        'token: "***"',
      );
      expect(files.get(`namespaces/${namespace}/objects/core/ConfigMap/leaky.yaml`)).toContain(
        "token=***",
      );
      expect(files.get(`helm/${namespace}/web/status.txt`)).toContain("STATUS: deployed");
      expect(files.get(`namespaces/${namespace}/logs/SIMULATED.txt`)).toMatch(
        /pod logs do not exist for 2 pod\(s\) in vault/,
      );
      expect(files.get("SUMMARY.md")).toContain("No component failed");
      expect(files.get("cluster/nodes.md")).toContain("(simulated by kwok)");
    }, 120_000);
  },
);
