/**
 * The kind provider without a container engine: the config it generates, the exact commands it
 * would run (a runner that records them and answers like kind), its refusals, and the real
 * kind (when installed) accepting the generated config and failing clearly without an engine.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createContext } from "../../src/context.js";
import { kindConfig, nodeImageVersion } from "../../src/e2e/providers/kind/config.js";
import { KindProvider } from "../../src/e2e/providers/kind/provider.js";
import { CommandError, UsageError } from "../../src/errors.js";
import type { Runner, RunOptions } from "../../src/exec/runner.js";
import { describeWithTools, findTool } from "../helpers/tools.js";

const IMAGE = `kindest/node:v1.35.4@sha256:${"ab".repeat(32)}`;
const root = mkdtempSync(path.join(tmpdir(), "shoppe-kind-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// kind and docker exist (locate finds them); the recording runner answers for them.
const bin = path.join(root, ".tools/bin");
mkdirSync(bin, { recursive: true });
for (const b of ["kind", "docker"]) {
  writeFileSync(path.join(bin, b), "#!/bin/sh\nexit 3\n");
  chmodSync(path.join(bin, b), 0o755);
}

/**
 * Records every command; answers like kind (keeping its set of clusters, one of them made by
 * someone else) and a running docker; fails `kind <fail>` on demand.
 */
class RecordingRunner implements Runner {
  readonly commands: string[][] = [];
  readonly clusters = new Set(["other"]);
  constructor(private readonly fail?: string) {}
  async run(file: string, args: readonly string[], _o?: RunOptions) {
    const argv = [path.basename(file), ...args];
    this.commands.push(argv);
    const sub = args.slice(0, 2).join(" ");
    if (this.fail && sub === this.fail) {
      throw new CommandError({
        message: `command failed (exit status 1): ${argv.join(" ")}`,
        command: argv.join(" "),
        exitStatus: 1,
        durationMs: 1,
        output: "ERROR: failed to create cluster",
      });
    }
    let stdout = "";
    const name = args[args.indexOf("--name") + 1] as string;
    if (sub === "delete cluster") this.clusters.delete(name);
    if (sub === "create cluster") {
      this.clusters.add(name);
      const kc = args[args.indexOf("--kubeconfig") + 1] as string;
      writeFileSync(
        kc,
        "apiVersion: v1\nkind: Config\nclusters: [{name: kind-ci, cluster: {server: 'https://127.0.0.1:40123'}}]\ncontexts: [{name: kind-ci, context: {cluster: kind-ci, user: kind-ci}}]\nusers: [{name: kind-ci, user: {}}]\ncurrent-context: kind-ci\n",
      );
    }
    if (sub === "get nodes") stdout = "ci-control-plane\nci-worker\n";
    if (sub === "get clusters") stdout = [...this.clusters].map((c) => `${c}\n`).join("");
    if (file.endsWith("docker")) stdout = "27.3.1\n";
    return { stdout, stderr: "", durationMs: 1 };
  }
}

function provider(runner: Runner, stateRoot = path.join(root, "state")) {
  return new KindProvider(createContext({ root, env: { PATH: "" }, runner }), { stateRoot });
}

describe("kind config", () => {
  it("puts every node on the pinned image and the API server on loopback only", () => {
    const doc = parse(kindConfig({ name: "ci", nodes: 3, nodeImage: IMAGE }));
    expect(doc).toEqual({
      kind: "Cluster",
      apiVersion: "kind.x-k8s.io/v1alpha4",
      name: "ci",
      networking: { apiServerAddress: "127.0.0.1" },
      nodes: [
        { role: "control-plane", image: IMAGE },
        { role: "worker", image: IMAGE },
        { role: "worker", image: IMAGE },
      ],
    });
    expect(parse(kindConfig({ name: "ci", nodeImage: IMAGE })).nodes).toHaveLength(1);
  });

  it("refuses a node count kind cannot make", () => {
    expect(() => kindConfig({ name: "ci", nodes: 0, nodeImage: IMAGE })).toThrow(
      /invalid node count 0 for kind/,
    );
  });

  it("reads the Kubernetes version of a node image pinned by digest, and nothing else", () => {
    expect(nodeImageVersion(IMAGE)).toBe("v1.35.4");
    expect(nodeImageVersion("kindest/node:v1.35.4")).toBeUndefined();
    // A site's copy of kind's images, in its own registry, is the same image.
    expect(nodeImageVersion(`registry.example:5000/${IMAGE}`)).toBe("v1.35.4");
    expect(nodeImageVersion(`registry.example/other/${IMAGE}`)).toBeUndefined();
  });
});

describe("kind provider commands", () => {
  it("creates: checks the engine, writes the config, runs kind create with it, lists the nodes", async () => {
    const r = new RecordingRunner();
    const state = path.join(root, "state");
    const cluster = await provider(r, state).create({
      name: "ci",
      nodes: 2,
      nodeImage: IMAGE,
      kubernetesVersion: "1.35.4",
    });
    const dir = path.join(state, "ci");
    expect(r.commands).toEqual([
      ["docker", "info", "--format", "{{.ServerVersion}}"],
      ["kind", "get", "clusters"],
      [
        "kind",
        "create",
        "cluster",
        "--name",
        "ci",
        "--config",
        `${dir}/kind.yaml`,
        "--kubeconfig",
        `${dir}/kubeconfig`,
        "--wait",
        "180s",
      ],
      ["kind", "get", "nodes", "--name", "ci"],
    ]);
    expect(readFileSync(`${dir}/kind.yaml`, "utf8")).toBe(
      kindConfig({ name: "ci", nodes: 2, nodeImage: IMAGE }),
    );
    expect(cluster).toMatchObject({
      name: "ci",
      provider: "kind",
      kubeconfig: `${dir}/kubeconfig`,
      server: "https://127.0.0.1:40123",
      kubernetesVersion: "v1.35.4",
      nodes: ["ci-control-plane", "ci-worker"],
    });
  });

  it("exports the kubeconfig and deletes only a cluster it created", async () => {
    const r = new RecordingRunner();
    const state = path.join(root, "state2");
    const p = provider(r, state);
    await p.create({ name: "ci", nodeImage: IMAGE });
    r.commands.length = 0;
    expect(await p.kubeconfig("ci")).toBe(`${state}/ci/kubeconfig`);
    expect((await p.delete("ci")).found).toBe(true);
    expect((await p.delete("gone")).found).toBe(false);
    expect(r.commands.filter((c) => c[0] === "kind")).toEqual([
      ["kind", "export", "kubeconfig", "--name", "ci", "--kubeconfig", `${state}/ci/kubeconfig`],
      ["kind", "get", "clusters"],
      ["kind", "delete", "cluster", "--name", "ci", "--kubeconfig", `${state}/ci/kubeconfig`],
      ["kind", "get", "clusters"],
    ]);
    expect(existsSync(path.join(state, "ci"))).toBe(false);
  });

  it("leaves alone a kind cluster and a directory it did not create", async () => {
    const r = new RecordingRunner();
    const state = path.join(root, "state4");
    // Someone's directory under the state root, named like a cluster.
    mkdirSync(path.join(state, "notes"), { recursive: true });
    writeFileSync(path.join(state, "notes", "todo.txt"), "mine\n");
    const p = provider(r, state);
    await expect(p.delete("other")).rejects.toThrow(
      `failed to delete cluster "other" with kind: ${state}/other/kind.yaml is missing, so shoppe did not create it here and leaves it alone; delete it yourself with: kind delete cluster --name other`,
    );
    expect(await p.delete("notes")).toEqual({ name: "notes", found: false, stopped: [] });
    await expect(p.create({ name: "other", nodeImage: IMAGE })).rejects.toThrow(
      'failed to create cluster "other" with kind: a kind cluster of that name exists; shoppe did not create it; pass another --name, or delete it yourself with: kind delete cluster --name other',
    );
    await expect(p.create({ name: "notes", nodeImage: IMAGE })).rejects.toThrow(
      `failed to create cluster "notes" with kind: ${state}/notes exists; remove it or pass another --name or --clusters-dir`,
    );
    expect(r.commands.filter((c) => c[1] === "delete" || c[1] === "create")).toEqual([]);
    expect(r.clusters.has("other")).toBe(true);
    expect(readFileSync(path.join(state, "notes", "todo.txt"), "utf8")).toBe("mine\n");
  });

  it("deletes what a failed create left and removes its state", async () => {
    const r = new RecordingRunner("create cluster");
    const state = path.join(root, "state3");
    await expect(provider(r, state).create({ name: "ci", nodeImage: IMAGE })).rejects.toThrow(
      CommandError,
    );
    expect(r.commands.at(-1)).toEqual([
      "kind",
      "delete",
      "cluster",
      "--name",
      "ci",
      "--kubeconfig",
      `${state}/ci/kubeconfig`,
    ]);
    expect(existsSync(path.join(state, "ci"))).toBe(false);
  });

  it("refuses, before running anything, a version without a pinned node image or another version's image", async () => {
    const r = new RecordingRunner();
    const p = provider(r);
    await expect(p.create({ name: "ci", kubernetesVersion: "1.35.4" })).rejects.toThrow(
      'failed to create cluster "ci" with kind: no node image given; kind runs the Kubernetes of its node image, pinned by digest in stack.yaml (kubernetes.versions[].kindNodeImage)',
    );
    await expect(
      p.create({ name: "ci", nodeImage: IMAGE, kubernetesVersion: "1.34.13" }),
    ).rejects.toThrow(UsageError);
    await expect(p.create({ name: "ci", nodeImage: "kindest/node:v1.35.4" })).rejects.toThrow(
      /is not kindest\/node:v<version>@sha256:<digest>/,
    );
    expect(r.commands).toEqual([]);
    expect(await p.canRun({ version: "1.35.4" })).toEqual({
      available: false,
      reason:
        "no kind node image is pinned for Kubernetes 1.35.4 (stack.yaml kubernetes.versions[].kindNodeImage, kindest/node:v1.35.4@sha256:… from kind's release notes)",
    });
    expect(await p.canRun({ version: "1.35.4", kindNodeImage: IMAGE })).toEqual({
      available: true,
    });
  });
});

describeWithTools("the real kind", ["kind"], () => {
  it("accepts the generated config and fails clearly when no container engine answers", async () => {
    const state = path.join(root, "real");
    // No docker on PATH: kind decodes and validates the config first, then looks for docker.
    const p = new KindProvider(
      createContext({
        root: path.join(root, "no-tools"),
        env: { PATH: path.dirname(findTool("kind") as string) },
      }),
      { stateRoot: state },
    );
    const err = await p.create({ name: "ci", nodeImage: IMAGE }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^failed to create cluster "ci" with kind: no container engine: docker is not installed/,
    );
    // The same config, straight to kind: it gets past decoding to the engine.
    const config = path.join(root, "kind.yaml");
    writeFileSync(config, kindConfig({ name: "ci", nodes: 2, nodeImage: IMAGE }));
    const { ExecaRunner } = await import("../../src/exec/runner.js");
    const { Redactor } = await import("../../src/exec/redact.js");
    const out = await new ExecaRunner(new Redactor())
      .run(
        findTool("kind") as string,
        [
          "create",
          "cluster",
          "--name",
          "ci",
          "--config",
          config,
          "--kubeconfig",
          path.join(root, "kc"),
        ],
        { env: { PATH: "/nonexistent" } },
      )
      .catch((e: CommandError) => e.output);
    expect(out).toContain("failed to get docker info");
    expect(out).not.toContain("unable to decode config");
  });
});
