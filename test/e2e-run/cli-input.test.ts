/**
 * Bad input to `shoppe e2e run`, `e2e matrix` and `support-bundle`: one clear error line, exit
 * 2, and nothing created (no results, no cluster state, no dependencies built, no namespace).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { describeWithTools } from "../helpers/tools.js";
import { type FixtureProject, fixtureProject } from "./fixture-project.js";

let project: FixtureProject;
beforeAll(async () => {
  project = await fixtureProject();
});
afterAll(() => project?.close());

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Runs `shoppe <argv>` in the project; asserts exit 2, one error line, nothing created. */
async function refused(argv: string[]): Promise<string> {
  const r = await runCli(["-q", ...argv], project.root, project.env);
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  expect({ code: r.code, errors: errors.length }, r.stderr).toEqual({ code: 2, errors: 1 });
  expect(r.stderr).not.toContain("internal error");
  expect(existsSync(path.join(project.root, ".shoppe/e2e"))).toBe(false);
  expect(existsSync(path.join(project.root, ".shoppe/clusters"))).toBe(false);
  expect(existsSync(path.join(project.root, "charts/e2e-demo/charts"))).toBe(false);
  return errors[0] as string;
}

describe("shoppe e2e run: bad input", () => {
  it("an unknown provider, naming the known ones", async () => {
    expect(await refused(["e2e", "run", "--provider", "minikube"])).toBe(
      'error: unknown cluster provider "minikube"; known providers: kind, kwok, existing',
    );
  });

  it("a profile that does not exist", async () => {
    expect(await refused(["e2e", "run", "--provider", "kind", "--profile", "nope"])).toBe(
      'error: unknown profile "nope" (known: ci, broken-image, never-ready)',
    );
  });

  it("a Kubernetes version stack.yaml does not list, or --matrix with --kube-version", async () => {
    expect(await refused(["e2e", "run", "--provider", "kind", "--kube-version", "1.99.0"])).toBe(
      "error: Kubernetes 1.99.0 is not a version stack.yaml supports (1.34.11, 1.35.8)",
    );
    expect(
      await refused(["e2e", "run", "--provider", "kind", "--matrix", "--kube-version", "1.35.8"]),
    ).toBe("error: --kube-version and --matrix exclude each other; pass one");
  });

  it("a version kind cannot run: no node image pinned by digest", async () => {
    expect(await refused(["e2e", "run", "--provider", "kind", "--kube-version", "1.35.8"])).toBe(
      "error: failed to run Kubernetes 1.35.8 on the kind provider: no kind node image is pinned for Kubernetes 1.35.8 (stack.yaml kubernetes.versions[].kindNodeImage, kindest/node:v1.35.8@sha256:… from kind's release notes)",
    );
  });

  it("an unreachable or missing kubeconfig for the existing provider", async () => {
    const kc = path.join(project.root, "unreachable.kubeconfig");
    const port = await closedPort();
    writeFileSync(
      kc,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\ncontexts: [{name: gone, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: abc}}]\ncurrent-context: gone\n`,
    );
    expect(await refused(["e2e", "run", "--provider", "existing", "--kubeconfig", kc])).toMatch(
      new RegExp(
        `^error: failed to run the existing provider: .*failed to reach the cluster of context "gone" at https://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
    expect(
      await refused([
        "e2e",
        "run",
        "--provider",
        "existing",
        "--kubeconfig",
        "nowhere.yaml",
        "--kube-version",
        "1.35.8",
      ]),
    ).toMatch(
      /^error: failed to run Kubernetes 1\.35\.8 on the existing provider: failed to read the kubeconfig .*nowhere\.yaml: no such file/,
    );
    // A FIFO is refused at once, never waited on for a writer.
    const fifo = path.join(project.root, "kubeconfig.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(
      await refused(["e2e", "run", "--provider", "existing", "--kubeconfig", "kubeconfig.fifo"]),
    ).toMatch(
      /^error: failed to run the existing provider: .*failed to read the kubeconfig .*kubeconfig\.fifo: it is a named pipe \(FIFO\), not a regular file/,
    );
    const bundle = await runCli(
      ["support-bundle", "-n", "x", "--kubeconfig", "kubeconfig.fifo"],
      project.root,
      project.env,
    );
    expect(bundle.code).toBe(2);
    expect(bundle.stderr).toMatch(
      /^error: failed to read the kubeconfig .*kubeconfig\.fifo: it is a named pipe/,
    );
  });

  it("a chart that does not match stack.yaml, a results directory shoppe did not write, a bad ref, a bad timeout", async () => {
    const other = await fixtureProject();
    try {
      const stack = path.join(other.root, "stack.yaml");
      const { readFileSync } = await import("node:fs");
      writeFileSync(stack, readFileSync(stack, "utf8").replace("version: 0.1.0", "version: 0.1.1"));
      const r = await runCli(["-q", "e2e", "run", "--provider", "kind"], other.root, other.env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "error: failed to run: charts/e2e-demo does not match stack.yaml; run shoppe render",
      );
    } finally {
      await other.close();
    }
    expect(await refused(["e2e", "run", "--provider", "kind", "--timeout", "soon"])).toBe(
      'error: --timeout expects a duration like 90s, 10m or 1h, got "soon"',
    );
  });
});

describeWithTools(
  "shoppe e2e run: bad input needing the kwok binaries",
  ["kube-apiserver", "etcd", "kwok", "kube-controller-manager", "kube-scheduler"],
  () => {
    it("a version the detected provider cannot run: without a container engine, detection picks kwok", async () => {
      expect(await refused(["e2e", "run", "--kube-version", "1.34.11"])).toMatch(
        /^error: failed to run Kubernetes 1\.34\.11 on the kwok provider: /,
      );
    });

    it("a version the kwok control plane is not built at", async () => {
      expect(
        await refused(["e2e", "run", "--provider", "kwok", "--kube-version", "1.34.11"]),
      ).toMatch(
        /^error: failed to run Kubernetes 1\.34\.11 on the kwok provider: the kwok control plane is built at v1\.35\.8 \(KUBE_VERSION/,
      );
    });

    it("a results directory shoppe did not write, and an --upgrade-from outside git", async () => {
      const mine = path.join(project.root, "mine");
      const { mkdirSync } = await import("node:fs");
      mkdirSync(mine);
      writeFileSync(path.join(mine, "notes.txt"), "mine");
      expect(await refused(["e2e", "run", "--provider", "kwok", "--results", "mine"])).toMatch(
        /^error: failed to write results into mine: it is not empty and has no \.shoppe-e2e\.json/,
      );
      expect(readdirSync(mine)).toEqual(["notes.txt"]);
      expect(
        await refused(["e2e", "run", "--provider", "kwok", "--upgrade-from", "v0.0.1"]),
      ).toMatch(
        /^error: failed to use --upgrade-from v0\.0\.1: it names no commit of the project's git repository/,
      );
    });
  },
);

describe("shoppe e2e matrix", () => {
  it("lists every version of stack.yaml and why kind cannot run it, as GitHub's matrix shape", async () => {
    const r = await runCli(["--json", "e2e", "matrix"], project.root, project.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      provider: "kind",
      include: ["1.34.11", "1.35.8"].map((v) => ({
        kubernetes: v,
        runnable: false,
        reason: `no kind node image is pinned for Kubernetes ${v} (stack.yaml kubernetes.versions[].kindNodeImage, kindest/node:v${v}@sha256:… from kind's release notes)`,
      })),
    });
  });
});

describe("shoppe support-bundle: bad input", () => {
  it("nothing named to collect, or no kubeconfig", async () => {
    const none = await runCli(["support-bundle"], project.root, project.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      "error: name what to collect: --namespace <name>, --release <name>, or both\n",
    );
    const missing = await runCli(
      ["support-bundle", "-n", "x", "--kubeconfig", "nowhere.yaml"],
      project.root,
      project.env,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^error: failed to read the kubeconfig .*nowhere\.yaml: no such file/,
    );
    expect(readdirSync(project.root).filter((f) => f.endsWith(".tar.gz"))).toEqual([]);
  });

  it("an output path already taken, even by a dangling symlink, or in a missing directory, before reaching any cluster", async () => {
    writeFileSync(path.join(project.root, "taken.tar.gz"), "kept");
    symlinkSync(
      path.join(project.root, "elsewhere.tar.gz"),
      path.join(project.root, "link.tar.gz"),
    );
    const cases: [string, string][] = [
      [
        "taken.tar.gz",
        "error: failed to write taken.tar.gz: it exists; name another file with -o\n",
      ],
      [
        "link.tar.gz",
        "error: failed to write link.tar.gz: it exists (a symbolic link); name another file with -o\n",
      ],
      [
        "no/b.tar.gz",
        "error: failed to write no/b.tar.gz: its directory no does not exist; create it or name another file with -o\n",
      ],
    ];
    for (const [out, stderr] of cases) {
      const r = await runCli(
        ["support-bundle", "-n", "x", "--kubeconfig", "nowhere.yaml", "-o", out],
        project.root,
        project.env,
      );
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toBe(stderr);
    }
    expect(readFileSync(path.join(project.root, "taken.tar.gz"), "utf8")).toBe("kept");
    expect(existsSync(path.join(project.root, "elsewhere.tar.gz"))).toBe(false);
  });

  it("a cluster that does not answer, naming the context, the server and why", async () => {
    const port = await closedPort();
    writeFileSync(
      path.join(project.root, "down.kubeconfig"),
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\ncontexts: [{name: down, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: abc}}]\ncurrent-context: down\n`,
    );
    const r = await runCli(
      ["support-bundle", "-n", "x", "--kubeconfig", "down.kubeconfig", "-o", "down.tar.gz"],
      project.root,
      project.env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: failed to reach the cluster of context "down" at https://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; check --kubeconfig and --context, and that the cluster is up\n$`,
      ),
    );
    expect(existsSync(path.join(project.root, "down.tar.gz"))).toBe(false);
  });
});
