/**
 * `shoppe outdated` against the real published indexes of ../shared/upstream served on
 * loopback (ETag, 304, faults), per-component policies, a repository that is down and one that
 * hangs, the mirror answering for its repository, offline answers from the cache, and an OCI
 * chart listed through the anonymous bearer-token flow of a docker-registry on 127.0.0.1.
 */
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type AuthRegistry, startAuthRegistry } from "../support/auth-registry.js";
import { type IndexServer, serveIndexes } from "../support/index-server.js";
import { closedPort } from "../support/ports.js";
import type { RealProject } from "../support/real-project.js";
import { serverHelm } from "../support/servers.js";
import { jupyterhubComponent, UPSTREAM, updateProject } from "../support/update-project.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const outdatedJson = async (root: string, args: string[] = []) => {
  const r = await runCli(["--json", "outdated", "--retries", "0", ...args], root);
  return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
};
type Line = { component: string; [k: string]: unknown };
const byComponent = (out: { components: Line[] }): Record<string, Line> =>
  Object.fromEntries(out.components.map((c) => [c.component, c]));

describeWithUpstream("shoppe outdated on the real indexes", [], () => {
  let server: IndexServer;
  let project: RealProject;
  const url = (u: string) => server.urls.get(u) as string;
  beforeAll(async () => {
    server = await serveIndexes(UPSTREAM_SOURCE);
    project = await updateProject(server.urls, (s) => {
      s.components["coffea-casa"].chart.version = "2026.929.2";
      s.components.servicex.chart.version = "1.5.2";
      s.components.servicex.updates = { track: "patch" };
      s.components.mlflow.chart.version = "1.11.3";
      s.components.mlflow.updates = { ignore: ["1.11.5"] };
      s.components.jupyterhub = jupyterhubComponent(url(UPSTREAM.jupyterhub));
    });
    return async () => {
      await project.close();
      await server.close();
    };
  });

  it("finds the newer releases per policy, and names first-party charts as such", async () => {
    const r = await outdatedJson(project.root);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    const c = byComponent(r.out);
    expect(c["coffea-casa"]).toMatchObject({
      current: "2026.929.2",
      minor: "2026.1008.3",
      wanted: "2026.1008.3",
      status: "outdated",
      outcome: "fetched",
      origin: `${url(UPSTREAM.casa)}/index.yaml`,
    });
    expect(c.servicex).toMatchObject({ current: "1.5.2", patch: "1.5.3", wanted: "1.5.3" });
    expect(c.mlflow).toMatchObject({ current: "1.11.3", patch: "1.11.4", wanted: "1.11.4" });
    expect(c.jupyterhub).toMatchObject({
      patch: "3.3.8",
      major: "4.0.0-beta.4.git.6831.habe06f4d",
      wanted: "4.0.0-beta.4.git.6831.habe06f4d",
    });
    for (const id of ["xcache", "triton"]) {
      expect(c[id]).toMatchObject({ status: "first-party", source: "local" });
    }
    expect(r.out.outdated).toBe(true);
    expect(r.out.transferred).toBeGreaterThan(4_000_000); // the 1.7 and 2.3 MB indexes, once each
  });

  it("answers an unchanged repository with 304 on the second run, transferring nothing", async () => {
    await outdatedJson(project.root);
    const before = server.requests.length;
    const r = await outdatedJson(project.root);
    const second = server.requests.slice(before);
    expect(second.map((q) => q.status)).toEqual([304, 304, 304, 304]);
    expect(second.every((q) => q.ifNoneMatch?.startsWith('"'))).toBe(true);
    expect(r.out.transferred).toBe(0);
    expect(byComponent(r.out)["coffea-casa"]).toMatchObject({
      outcome: "not-modified",
      wanted: "2026.1008.3",
    });
  });

  it("fetches again when a repository publishes a new index", async () => {
    const text = (await import("node:fs")).readFileSync(
      path.join(UPSTREAM_SOURCE, "charts", "coffea-casa", "index.yaml"),
      "utf8",
    );
    server.publish("coffea-casa", text.replace(/2026\.1008\.3/g, "2026.1201.0"));
    try {
      const c = byComponent((await outdatedJson(project.root)).out);
      expect(c["coffea-casa"]).toMatchObject({ outcome: "fetched", wanted: "2026.1201.0" });
    } finally {
      server.publish("coffea-casa", text);
    }
  });

  it("prints a table for people and exits 1 with --fail-on-outdated", async () => {
    const human = await runCli(["outdated"], project.root);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /│ coffea-casa +│ coffea-casa +│ 2026\.929\.2 +│ +│ 2026\.1008\.3 +│/,
    );
    expect(human.stdout).toContain("first-party chart: no upstream");
    expect(human.stdout).toContain("2026.1008.3 (track minor)");
    expect(human.stdout).toContain("(304, cached)");
    expect(human.stdout).toContain("4 components are behind their policy");
    expect((await runCli(["outdated", "--fail-on-outdated"], project.root)).code).toBe(1);
  });

  it("reports a repository that is down and one that hangs, while the others answer", async () => {
    const down = `http://127.0.0.1:${await closedPort()}/charts`;
    const other = await updateProject(
      new Map([...server.urls, [UPSTREAM.community, down]]),
      (s) => {
        s.components["coffea-casa"].chart.version = "2026.929.2";
      },
    );
    server.fault("ssl-helm-charts", { kind: "hang" });
    try {
      const t0 = Date.now();
      const r = await outdatedJson(other.root, ["--timeout", "0.5"]);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(r.code).toBe(1);
      expect(r.out.failed).toBe(true);
      const c = byComponent(r.out);
      expect(c.mlflow).toMatchObject({
        status: "error",
        error: `failed to fetch ${down}/index.yaml: connection refused`,
      });
      expect(c.servicex).toMatchObject({
        status: "error",
        error: `failed to fetch ${url(UPSTREAM.ssl)}/index.yaml: no answer within 0.5 s`,
      });
      expect(c["coffea-casa"]).toMatchObject({ status: "outdated", wanted: "2026.1008.3" });
      const human = await runCli(["outdated", "--retries", "0", "--timeout", "0.5"], other.root);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(
        `error: mlflow: failed to fetch ${down}/index.yaml: connection refused`,
      );
      expect(human.stdout).toContain("error: servicex: failed to fetch");
    } finally {
      server.fault("ssl-helm-charts", undefined);
      await other.close();
    }
  });

  it("reports a repository answering 503 after its retries", async () => {
    server.fault("community-charts", { kind: "status", status: 503 });
    try {
      const before = server.requests.length;
      const r = await outdatedJson(project.root, ["--retries", "2"]);
      const c = byComponent(r.out);
      expect(c.mlflow?.error).toBe(
        `failed to fetch ${url(UPSTREAM.community)}/index.yaml: HTTP 503`,
      );
      const tries = server.requests
        .slice(before)
        .filter((q) => q.path.startsWith("/community-charts"));
      expect(tries.length).toBe(3);
    } finally {
      server.fault("community-charts", undefined);
    }
  });

  it("lets a mirror answer for the repositories it stands for, and nothing else", async () => {
    const mirror = path.join(project.root, "site-mirror");
    await mkdir(path.join(mirror, "casa"), { recursive: true });
    await copyFile(
      path.join(UPSTREAM_SOURCE, "charts", "coffea-casa", "index.yaml"),
      path.join(mirror, "casa", "index.yaml"),
    );
    await writeFile(
      path.join(mirror, "mirror.yaml"),
      `charts:\n  - url: ${url(UPSTREAM.casa)}\n    path: casa\n`,
    );
    const before = server.requests.length;
    const r = await outdatedJson(project.root, ["--mirror", "site-mirror"]);
    const c = byComponent(r.out);
    expect(c["coffea-casa"]).toMatchObject({
      outcome: "mirror",
      origin: path.join("site-mirror", "casa", "index.yaml"),
      wanted: "2026.1008.3",
    });
    const asked = server.requests.slice(before).map((q) => q.path.split("/")[1]);
    expect(asked).not.toContain("coffea-casa");
    expect(asked).toContain("ssl-helm-charts");
  });

  it("answers offline from the cache, and says what it could not check", async () => {
    const before = server.requests.length;
    const cached = await outdatedJson(project.root, ["--offline"]);
    expect(server.requests.length).toBe(before);
    expect(byComponent(cached.out)["coffea-casa"]).toMatchObject({
      outcome: "offline-cached",
      wanted: "2026.1008.3",
    });
    const fresh = await updateProject(server.urls, () => {});
    try {
      const r = await outdatedJson(fresh.root, ["--offline"]);
      expect(r.code).toBe(1);
      expect(byComponent(r.out).servicex?.error).toBe(
        `failed to fetch ${url(UPSTREAM.ssl)}/index.yaml: offline (--offline) and not in the cache`,
      );
    } finally {
      await fresh.close();
    }
  });
});

describeWithUpstream(
  "shoppe outdated on an OCI registry (anonymous bearer tokens)",
  ["docker-registry", "helm"],
  () => {
    let reg: AuthRegistry;
    let project: RealProject;
    let closeHelm: () => Promise<void>;
    beforeAll(async () => {
      reg = await startAuthRegistry("token");
      const h = await serverHelm();
      closeHelm = h.close;
      await reg.login(h.helm);
      for (const v of ["1.11.4", "1.11.5"]) {
        await reg.registry.push(
          h.helm,
          path.join(UPSTREAM_SOURCE, "charts", "community-charts", `mlflow-${v}.tgz`),
        );
      }
      project = await updateProject(
        new Map([[UPSTREAM.community, reg.registry.chartsUrl]]),
        (s) => {
          s.components.mlflow.chart.version = "1.11.4";
        },
      );
    });
    afterAll(async () => {
      await project?.close();
      await closeHelm?.();
      await reg?.close();
    });

    it("lists the chart's tags with an anonymous pull token", async () => {
      const before = reg.tokens?.requests.length ?? 0;
      const r = await runCli(["--json", "outdated", "--offline"], project.root);
      expect(byComponent(JSON.parse(r.stdout)).mlflow?.status).toBe("error"); // offline: not asked
      const online = await runCli(["--json", "outdated"], project.root);
      const mlflow = byComponent(JSON.parse(online.stdout)).mlflow;
      expect(mlflow).toMatchObject({
        source: "oci",
        origin: `${reg.registry.host}/charts/mlflow`,
        patch: "1.11.5",
        wanted: "1.11.5",
      });
      const asked = reg.tokens?.requests.slice(before) ?? [];
      expect(asked).toEqual([
        {
          user: undefined,
          scopes: ["repository:charts/mlflow:pull"],
          granted: ["repository:charts/mlflow:pull"],
          status: 200,
        },
      ]);
    });

    it("bumps from the registry's own metadata: its config blob's annotations and appVersion", async () => {
      const r = await runCli(["--json", "bump", "mlflow"], project.root);
      expect(r.stderr).not.toContain("error");
      expect(JSON.parse(r.stdout).bumps[0]).toMatchObject({
        from: "1.11.4",
        to: "1.11.5",
        imagesFrom: "annotation",
        images: [{ name: "server", from: "3.15.1", to: "3.15.1" }],
        unknown: [],
      });
    });
  },
);
