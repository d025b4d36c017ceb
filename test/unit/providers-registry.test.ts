import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import { KindProvider } from "../../src/e2e/providers/kind/provider.js";
import { detectProvider, getProvider, providerNames } from "../../src/e2e/providers/registry.js";
import { CommandError, ToolError, UsageError } from "../../src/errors.js";
import type { Runner } from "../../src/exec/runner.js";
import { runCli } from "../helpers/cli.js";

const root = mkdtempSync(path.join(tmpdir(), "shoppe-registry-"));
const IMAGE = `kindest/node:v1.35.4@sha256:${"0".repeat(64)}`;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A runner whose `docker info` fails the way it does without a container engine. */
const noEngine: Runner = {
  async run(file, args) {
    throw new CommandError({
      message: `command failed (exit status 1): ${file} ${args.join(" ")}`,
      command: `${file} ${args.join(" ")}`,
      exitStatus: 1,
      durationMs: 5,
      output:
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
    });
  },
};

describe("provider registry", () => {
  it("knows kind, kwok and existing, and fails on an unknown name listing them", () => {
    expect(providerNames()).toEqual(["kind", "kwok", "existing"]);
    const ctx = createContext({ root });
    expect(() => getProvider("minikube", ctx)).toThrow(UsageError);
    expect(() => getProvider("minikube", ctx)).toThrow(
      'unknown cluster provider "minikube"; known providers: kind, kwok, existing',
    );
    expect(() => getProvider("constructor", ctx)).toThrow(UsageError);
  });

  it("declares what each provider's results can prove", () => {
    const ctx = createContext({ root });
    expect(getProvider("kwok", ctx).capabilities).toEqual({
      runsContainers: false,
      realControlPlane: true,
      simulatedResources: true,
      ownsCluster: true,
    });
    expect(getProvider("kind", ctx).capabilities.runsContainers).toBe(true);
    // existing works in someone's cluster: it never owns (so never deletes) it.
    expect(getProvider("existing", ctx).capabilities.ownsCluster).toBe(false);
  });

  it("detects nothing on a machine with neither kind nor the kwok binaries", async () => {
    const { provider, detections } = await detectProvider(
      createContext({ root, env: { PATH: "" } }),
    );
    expect(provider).toBeUndefined();
    expect(detections.kind?.reason).toMatch(/kind is not installed/);
    expect(detections.kwok?.reason).toMatch(/missing .*kube-apiserver/);
    // Testing someone's cluster is a choice, never a detection.
    expect(Object.keys(detections)).toEqual(["kind", "kwok"]);
  });
});

describe("kind provider without a container engine", () => {
  it("fails create clearly when kind is not installed", async () => {
    const kind = new KindProvider(createContext({ root, env: { PATH: "" } }));
    const err = await kind.create({ name: "ci", nodeImage: IMAGE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toBe(
      'failed to create cluster "ci" with kind: kind is not installed (not in .tools/bin nor on PATH; run scripts/install-tools kind); use --provider kwok on machines without a container engine',
    );
  });

  it("fails create clearly when kind is there but no engine answers", async () => {
    const bin = path.join(root, ".tools/bin");
    mkdirSync(bin, { recursive: true });
    for (const b of ["kind", "docker"]) {
      writeFileSync(path.join(bin, b), "#!/bin/sh\nexit 1\n");
      chmodSync(path.join(bin, b), 0o755);
    }
    const kind = new KindProvider(createContext({ root, env: { PATH: "" }, runner: noEngine }));
    const err = await kind.create({ name: "ci", nodeImage: IMAGE }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /no container engine answers \(docker info failed: Cannot connect to the Docker daemon/,
    );
  });

  it("refuses node resource options instead of ignoring them", async () => {
    const kind = new KindProvider(createContext({ root, env: { PATH: "" } }));
    await expect(kind.create({ name: "ci", nodeResources: { gpus: 1 } })).rejects.toThrow(
      UsageError,
    );
  });
});

describe("shoppe cluster (CLI)", () => {
  it("exits 2 on an unknown provider, naming the known ones", async () => {
    const r = await runCli(["cluster", "list", "--provider", "nope"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown cluster provider "nope"; known providers: kind, kwok, existing',
    );
  });

  it("refuses the existing provider: it never creates or deletes a cluster", async () => {
    const r = await runCli(["cluster", "create", "--provider", "existing"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the existing provider uses a cluster you already have");
  });

  it("exits 2 on a malformed flag before anything starts", async () => {
    const r = await runCli(["cluster", "create", "--nodes", "two", "--state-dir", root], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--nodes expects a whole number, got "two"');
  });

  it("exits 2 when --kubernetes-version differs from the built control plane", async () => {
    const fake = path.join(root, "fake-kube");
    mkdirSync(path.join(fake, ".tools/bin"), { recursive: true });
    for (const b of [
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    ]) {
      writeFileSync(path.join(fake, ".tools/bin", b), '#!/bin/sh\necho "Kubernetes v1.35.4"\n');
      chmodSync(path.join(fake, ".tools/bin", b), 0o755);
    }
    const r = await runCli(["cluster", "create", "--kubernetes-version", "v1.33.1"], fake, {
      PATH: "",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Kubernetes v1.33.1 was requested but the built control plane is v1.35.4 (KUBE_VERSION in scripts/tool-versions.env)",
    );
    expect(r.stdout).toBe("");
  });

  it("lists no clusters in an empty state dir, as text and JSON", async () => {
    const dir = path.join(root, "empty");
    expect((await runCli(["cluster", "list", "--state-dir", dir], root)).stdout).toBe(
      "no kwok clusters\n",
    );
    const json = await runCli(["--json", "cluster", "list", "--state-dir", dir], root);
    expect(JSON.parse(json.stdout)).toEqual({ provider: "kwok", clusters: [] });
  });

  it("reports deleting a cluster that does not exist without failing", async () => {
    const r = await runCli(["cluster", "delete", "--name", "ghost", "--state-dir", root], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no cluster named "ghost"; nothing to delete\n');
  });
});
