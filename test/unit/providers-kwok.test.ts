import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { createContext } from "../../src/context.js";
import type { PkiFiles } from "../../src/e2e/providers/common/pki.js";
import { validateClusterName } from "../../src/e2e/providers/common/state.js";
import {
  COMPONENTS,
  componentArgs,
  daemonSpec,
  type Layout,
} from "../../src/e2e/providers/kwok/components.js";
import { validateCreateOptions } from "../../src/e2e/providers/kwok/create.js";
import { kwokNode, resolveNodeResources } from "../../src/e2e/providers/kwok/nodes.js";
import { KwokProvider } from "../../src/e2e/providers/kwok/provider.js";
import { KWOK_STAGES, SIMULATE_ANNOTATION } from "../../src/e2e/providers/kwok/stages.js";
import { InputError, ToolError } from "../../src/errors.js";
import { describeWithTools, findTool } from "../helpers/tools.js";

const pki: PkiFiles = {
  dir: "/s/pki",
  caCert: "/s/pki/ca.crt",
  caKey: "/s/pki/ca.key",
  servingCert: "/s/pki/serving.crt",
  servingKey: "/s/pki/serving.key",
  adminCert: "/s/pki/admin.crt",
  adminKey: "/s/pki/admin.key",
  serviceAccountKey: "/s/pki/sa.key",
  serviceAccountPub: "/s/pki/sa.pub",
};
const layout: Layout = {
  clusterName: "c1",
  stateDir: "/s",
  kubeconfig: "/s/kubeconfig",
  pki,
  ports: {
    etcd: 20001,
    "etcd-peer": 20002,
    "kube-apiserver": 20003,
    "kube-controller-manager": 20004,
    "kube-scheduler": 20005,
    kwok: 20006,
  },
  binaries: {
    etcd: "/b/etcd",
    "kube-apiserver": "/b/kube-apiserver",
    "kube-controller-manager": "/b/kube-controller-manager",
    "kube-scheduler": "/b/kube-scheduler",
    kwok: "/b/kwok",
  },
};

describe("kwok component command lines", () => {
  const args = componentArgs(layout);

  it("listens and dials on 127.0.0.1 only, each component on its own port", () => {
    const all = Object.values(args).flat().join(" ");
    expect(all).not.toMatch(/0\.0\.0\.0|localhost:/);
    for (const c of COMPONENTS) {
      const line = args[c].join(" ");
      const port = layout.ports[c];
      expect(line.includes(`127.0.0.1:${port}`) || line.includes(`--secure-port=${port}`), c).toBe(
        true,
      );
      if (line.includes("--secure-port")) expect(line, c).toContain("--bind-address=127.0.0.1");
    }
    expect(args["kube-apiserver"]).toContain("--bind-address=127.0.0.1");
    expect(args["kube-apiserver"]).toContain("--etcd-servers=http://127.0.0.1:20001");
    expect(args.etcd).toContain("--initial-cluster=c1=http://127.0.0.1:20002");
  });

  it("keeps every file of the cluster in its state dir", () => {
    expect(args.etcd).toContain("--data-dir=/s/etcd");
    for (const c of COMPONENTS) expect(daemonSpec(layout, c).logFile).toBe(`/s/logs/${c}.log`);
    // kwok would also read ~/.kwok/kwok.yaml; its work dir keeps it on our config alone.
    expect(daemonSpec(layout, "kwok").env).toEqual({ KWOK_WORKDIR: "/s/kwok" });
    expect(args.kwok).toContain("--config=/s/kwok.yaml");
  });

  it("has kwok manage only annotated nodes", () => {
    expect(args.kwok).toContain("--manage-all-nodes=false");
    expect(args.kwok).toContain("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake");
  });

  it("runs controller-manager and scheduler without leader election, serving /healthz with our cert", () => {
    for (const c of ["kube-controller-manager", "kube-scheduler"] as const) {
      expect(args[c]).toContain("--leader-elect=false");
      expect(args[c]).toContain("--tls-cert-file=/s/pki/serving.crt");
      expect(args[c]).toContain(`--secure-port=${layout.ports[c]}`);
    }
  });
});

describe("kwok stages", () => {
  it("are kwok's nine Stage documents for nodes, pods and volumes, and our two failure stages", () => {
    const docs = parseAllDocuments(KWOK_STAGES).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string } },
    );
    expect(docs.every((d) => d.kind === "Stage")).toBe(true);
    expect(docs.map((d) => d.metadata.name)).toEqual([
      "node-initialize",
      "node-heartbeat-with-lease",
      "pod-ready",
      "pod-complete",
      "pod-delete",
      "pvc-provision",
      "pv-bind",
      "pvc-delete",
      "pv-delete",
      "shoppe-pod-unready",
      "shoppe-pod-image-pull-backoff",
    ]);
    // pod-ready leaves pods carrying the annotation to the two failure stages, which select on it.
    const key = `.metadata.annotations["${SIMULATE_ANNOTATION}"]`;
    const selects = docs.filter((d) =>
      (
        d as { spec?: { selector?: { matchExpressions?: { key?: string }[] } } }
      ).spec?.selector?.matchExpressions?.some((e) => e.key === key),
    );
    expect(selects.map((d) => d.metadata.name)).toEqual([
      "pod-ready",
      "shoppe-pod-unready",
      "shoppe-pod-image-pull-backoff",
    ]);
  });
});

describe("simulated nodes", () => {
  it("take defaults and reject invalid quantities, all problems at once", () => {
    expect(resolveNodeResources()).toEqual({ cpu: "8", memory: "32Gi", pods: 110, gpus: 0 });
    expect(resolveNodeResources({ gpus: 4, memory: "1Ti" })).toMatchObject({
      gpus: 4,
      memory: "1Ti",
    });
    expect(() => resolveNodeResources({ cpu: "lots", gpus: -1 })).toThrow(
      /cpu "lots" is not a quantity.*gpus -1 is not a whole number/,
    );
  });

  it("advertise nvidia.com/gpu only when they have GPUs", () => {
    const plain = kwokNode("n0", resolveNodeResources(), "10.200.0.1");
    expect(plain.status?.allocatable).toEqual({ cpu: "8", memory: "32Gi", pods: "110" });
    expect(plain.metadata?.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
    const gpu = kwokNode("n1", resolveNodeResources({ gpus: 2 }), "10.200.0.2");
    expect(gpu.status?.capacity?.["nvidia.com/gpu"]).toBe("2");
    expect(gpu.metadata?.labels?.["nvidia.com/gpu.present"]).toBe("true");
  });

  it("validate names and counts before anything starts", () => {
    expect(() => validateClusterName("e2e-1")).not.toThrow();
    for (const bad of ["Bad", "a_b", "-x", "x-", "", "a".repeat(41)]) {
      expect(() => validateClusterName(bad), bad).toThrow(InputError);
    }
    expect(() => validateCreateOptions({ name: "ok", nodes: 0 })).toThrow(/invalid node count 0/);
  });
});

describe("kwok create preflight", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A project root whose .tools/bin holds scripts standing in for the binaries. */
  function fakeRoot(apiserverVersion: string | undefined): string {
    const root = mkdtempSync(path.join(tmpdir(), "shoppe-kwok-unit-"));
    dirs.push(root);
    const bin = path.join(root, ".tools/bin");
    mkdirSync(bin, { recursive: true });
    if (apiserverVersion === undefined) return root;
    for (const c of COMPONENTS) {
      const f = path.join(bin, c);
      writeFileSync(f, `#!/bin/sh\necho "Kubernetes ${apiserverVersion}"\n`);
      chmodSync(f, 0o755);
    }
    return root;
  }

  it("fails naming every missing binary and the install command", async () => {
    const root = fakeRoot(undefined);
    const p = new KwokProvider(createContext({ root, env: { PATH: "" } }));
    expect(await p.detect()).toMatchObject({ available: false });
    const err = await p.create({ name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(
      /failed to find etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok .*run scripts\/install-tools kube etcd kwok/,
    );
    expect(readdirSync(root)).toEqual([".tools"]); // nothing claimed
  });

  it("refuses a Kubernetes version other than the built one, before starting anything", async () => {
    const root = fakeRoot("v1.35.4");
    const p = new KwokProvider(createContext({ root, env: { PATH: "" } }));
    const err = await p.create({ name: "x", kubernetesVersion: "1.34.2" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(
      "Kubernetes v1.34.2 was requested but the built control plane is v1.35.4",
    );
    expect(readdirSync(root)).toEqual([".tools"]);
  });

  it("refuses a control plane built without version stamps", async () => {
    const root = fakeRoot("v0.0.0-master+$Format:%H$");
    const p = new KwokProvider(createContext({ root, env: { PATH: "" } }));
    const err = await p.create({ name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(/built without version ldflags/);
  });
});

describeWithTools(
  "kwok create on a name taken by something else",
  ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"],
  () => {
    const dirs: string[] = [];
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it("refuses a directory or file that is no cluster's, however old, and keeps it", async () => {
      const root = mkdtempSync(path.join(tmpdir(), "shoppe-kwok-claim-"));
      dirs.push(root);
      const old = new Date(Date.now() - 3_600_000);
      mkdirSync(path.join(root, "docs"));
      writeFileSync(path.join(root, "docs", "notes.md"), "mine\n");
      writeFileSync(path.join(root, "readme"), "mine\n");
      for (const f of ["docs", "readme"]) utimesSync(path.join(root, f), old, old);
      const p = new KwokProvider(
        createContext({ root, env: { PATH: path.dirname(findTool("kwok") as string) } }),
        { stateRoot: root },
      );
      // Already aborted: without the refusal, create would clear the name and stop right away.
      const signal = AbortSignal.abort();
      for (const name of ["docs", "readme"]) {
        await expect(p.create({ name, signal })).rejects.toThrow(
          `failed to create cluster "${name}": ${root}/${name} exists and holds no kwok cluster; remove it or pass another --name or --clusters-dir`,
        );
      }
      expect(readFileSync(path.join(root, "docs", "notes.md"), "utf8")).toBe("mine\n");
      expect(readFileSync(path.join(root, "readme"), "utf8")).toBe("mine\n");
    });

    it("takes over the empty directory of a create killed before its state file", async () => {
      const root = mkdtempSync(path.join(tmpdir(), "shoppe-kwok-claim-"));
      dirs.push(root);
      const old = new Date(Date.now() - 3_600_000);
      mkdirSync(path.join(root, "gone"));
      writeFileSync(path.join(root, "gone", "cluster.json.4242.tmp"), "{");
      utimesSync(path.join(root, "gone"), old, old);
      const p = new KwokProvider(
        createContext({ root, env: { PATH: path.dirname(findTool("kwok") as string) } }),
        { stateRoot: root },
      );
      const err = await p
        .create({ name: "gone", signal: AbortSignal.abort() })
        .catch((e: unknown) => e);
      expect((err as Error).message).not.toContain("holds no kwok cluster");
      expect(existsSync(path.join(root, "gone", "cluster.json.4242.tmp"))).toBe(false);
    });
  },
);
