/**
 * `shoppe verify` against Debian's docker-registry on 127.0.0.1 with authentication (one
 * registry with htpasswd Basic auth, one with the bearer-token flow), holding small images
 * built here as OCI layouts and pushed with skopeo (one multi-arch index) and a chart pushed
 * with helm, and the real published indexes on loopback for the HTTP charts: stack.lock is
 * written with the real digests, a re-pushed tag is drift, a deleted image is missing, a
 * platform not published is reported, and every problem is one line naming component and
 * artefact.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { createContext } from "../../src/context.js";
import { runCli } from "../helpers/cli.js";
import { findTool, ROOT } from "../helpers/tools.js";
import { type AuthRegistry, startAuthRegistry } from "../support/auth-registry.js";
import { type IndexServer, serveIndexes } from "../support/index-server.js";
import { type BuiltImage, buildImage, type Platform, pushImage } from "../support/oci-layout.js";
import type { RealProject } from "../support/real-project.js";
import { serverHelm } from "../support/servers.js";
import { type TempDir, tempDir } from "../support/temp.js";
import { UPSTREAM, updateProject } from "../support/update-project.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const AMD64: Platform = { os: "linux", architecture: "amd64" };
const ARM64: Platform = { os: "linux", architecture: "arm64" };
/** A digest no registry holds. */
const NEVER = `sha256:${"0".repeat(64)}`;

describeWithUpstream(
  "shoppe verify against authenticated registries",
  ["docker-registry", "skopeo", "helm"],
  () => {
    let basic: AuthRegistry;
    let token: AuthRegistry;
    let indexes: IndexServer;
    let project: RealProject;
    let work: TempDir;
    let authFile: string;
    const built = new Map<string, BuiltImage>();
    const runner = createContext({ root: ROOT }).runner;
    const skopeo = findTool("skopeo") as string;

    /** Builds `repository:tag` with `text` for `platforms` and pushes it to `reg`. */
    async function push(
      reg: AuthRegistry,
      repository: string,
      tag: string,
      text: string,
      platforms: Platform[],
    ) {
      const image = await buildImage(
        path.join(work.path, `${repository}-${tag}-${text}`.replace(/\W/g, "_")),
        tag,
        text,
        platforms,
      );
      await pushImage(runner, skopeo, image, {
        host: reg.registry.host,
        repository,
        authFile: reg.authFile,
      });
      built.set(`${reg.registry.host}/${repository}:${tag}`, image);
      return image;
    }

    const verify = async (args: string[] = [], auth = true) => {
      const r = await runCli(
        [
          "--json",
          "verify",
          "--retries",
          "0",
          ...(auth ? ["--registry-auth", authFile] : []),
          ...args,
        ],
        project.root,
      );
      return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
    };
    /** The pin of a node image pushed to `reg`: its reference by digest. */
    const nodeImage = (reg: AuthRegistry, tag: string) =>
      `${reg.registry.host}/kindest/node:${tag}@${built.get(`${reg.registry.host}/kindest/node:${tag}`)?.digest}`;
    const lines = (out: {
      problems: { component: string; artefact: string; kind: string; message: string }[];
    }) => out.problems.map((p) => `${p.component}: ${p.artefact}: ${p.kind}: ${p.message}`);
    const readLock = async () =>
      parse(await readFile(path.join(project.root, "stack.lock"), "utf8"));

    beforeAll(async () => {
      work = await tempDir("verify");
      [basic, token, indexes] = await Promise.all([
        startAuthRegistry("htpasswd"),
        startAuthRegistry("token"),
        serveIndexes(UPSTREAM_SOURCE),
      ]);
      authFile = path.join(work.path, "auth.json");
      const auths = {} as Record<string, unknown>;
      for (const r of [basic, token])
        Object.assign(auths, JSON.parse(await readFile(r.authFile, "utf8")).auths);
      await writeFile(authFile, JSON.stringify({ auths }));
      await push(token, "coffea-casa/cc-dask-alma9", "2026.10.08.3", "notebook", [AMD64]);
      await push(token, "jupyterhub/k8s-hub", "4.4.1", "hub", [AMD64, ARM64]);
      await push(basic, "sslhep/servicex_app", "v1.5.3", "app", [AMD64]);
      await push(token, "nvidia/tritonserver", "26.07-py3", "triton", [AMD64]);
      // kind node images, pinned by digest: one per Kubernetes version, on either registry.
      await push(token, "kindest/node", "v1.35.8", "node 1.35.8", [AMD64, ARM64]);
      await push(basic, "kindest/node", "v1.36.4", "node 1.36.4", [AMD64]);
      const h = await serverHelm();
      await token.login(h.helm);
      await token.registry.push(
        h.helm,
        path.join(UPSTREAM_SOURCE, "charts", "community-charts", "mlflow-1.11.5.tgz"),
      );
      await h.close();
      const urls = new Map([...indexes.urls, [UPSTREAM.community, token.registry.chartsUrl]]);
      project = await updateProject(urls, (s) => {
        const c = s.components;
        c["coffea-casa"].images = [
          {
            name: "notebook",
            repository: `${token.registry.host}/coffea-casa/cc-dask-alma9`,
            tag: "2026.10.08.3",
            platforms: ["linux/amd64"],
          },
          {
            name: "hub",
            repository: `${token.registry.host}/jupyterhub/k8s-hub`,
            tag: "4.4.1",
            platforms: ["linux/amd64", "linux/arm64"],
          },
        ];
        c.servicex.images = [
          { name: "app", repository: `${basic.registry.host}/sslhep/servicex_app`, tag: "v1.5.3" },
          { name: "checks", repository: `${basic.registry.host}/ncsa/checks`, tag: "1.0.0" },
        ];
        c.triton.images = [
          {
            name: "server",
            repository: `${token.registry.host}/nvidia/tritonserver`,
            tag: "26.07-py3",
            platforms: ["linux/amd64", "linux/arm64"],
          },
        ];
        c.xcache.images = [];
        c.mlflow.images = [];
        s.kubernetes = {
          versions: [
            { version: "1.34.11" },
            { version: "1.35.8", kindNodeImage: nodeImage(token, "v1.35.8") },
            { version: "1.36.4", kindNodeImage: nodeImage(basic, "v1.36.4") },
            {
              version: "1.37.0",
              kindNodeImage: `${token.registry.host}/kindest/node:v1.37.0@${NEVER}`,
            },
          ],
        };
      });
    });
    afterAll(async () => {
      await project?.close();
      await Promise.all([basic?.close(), token?.close(), indexes?.close()]);
      await work?.remove();
    });

    it("writes stack.lock with the published digests and platforms, and reports each problem once", async () => {
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.out.written).toBe(true);
      const b = (ref: string) => built.get(ref) as BuiltImage;
      const [th, bh] = [token.registry.host, basic.registry.host];
      expect(lines(r.out)).toEqual([
        `kubernetes 1.37.0: kind node image ${th}/kindest/node:v1.37.0@${NEVER}: missing: HTTP 404 (not found): MANIFEST_UNKNOWN`,
        `servicex: image checks ${bh}/ncsa/checks:1.0.0: missing: HTTP 404 (not found): MANIFEST_UNKNOWN`,
        `triton: image server ${th}/nvidia/tritonserver:26.07-py3: platform: linux/arm64 is declared in stack.yaml but not published (published: linux/amd64)`,
      ]);
      const lock = await readLock();
      expect(lock.components["coffea-casa"].chart).toEqual({
        repository: indexes.urls.get(UPSTREAM.casa),
        name: "coffea-casa",
        version: "2026.1008.3",
        digest: "sha256:53b73968ad3baf9a3a4eafedd7260fb820e6fb8e5867b277a8bd1fd237382d3a",
      });
      expect(lock.components.servicex.chart.digest).toBe(
        "sha256:11a10c6e1573e63c0d08ec74e7cd96b4094629632dc4be03877dbecbab40c5b8",
      );
      expect(lock.components["coffea-casa"].images).toEqual([
        {
          name: "notebook",
          image: `${th}/coffea-casa/cc-dask-alma9:2026.10.08.3`,
          digest: b(`${th}/coffea-casa/cc-dask-alma9:2026.10.08.3`).digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          platforms: ["linux/amd64"],
        },
        {
          name: "hub",
          image: `${th}/jupyterhub/k8s-hub:4.4.1`,
          digest: b(`${th}/jupyterhub/k8s-hub:4.4.1`).digest,
          mediaType: "application/vnd.oci.image.index.v1+json",
          platforms: ["linux/amd64", "linux/arm64"],
        },
      ]);
      expect(lock.components.servicex.images[1]).toEqual({
        name: "checks",
        image: `${bh}/ncsa/checks:1.0.0`,
        unresolved: "HTTP 404 (not found): MANIFEST_UNKNOWN",
      });
      // Node images: one entry per Kubernetes version that pins one, in stack.yaml's order.
      expect(lock.kubernetes).toEqual([
        {
          version: "1.35.8",
          image: nodeImage(token, "v1.35.8"),
          digest: b(`${th}/kindest/node:v1.35.8`).digest,
          mediaType: "application/vnd.oci.image.index.v1+json",
          platforms: ["linux/amd64", "linux/arm64"],
        },
        {
          version: "1.36.4",
          image: nodeImage(basic, "v1.36.4"),
          digest: b(`${bh}/kindest/node:v1.36.4`).digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          platforms: ["linux/amd64"],
        },
        {
          version: "1.37.0",
          image: `${th}/kindest/node:v1.37.0@${NEVER}`,
          unresolved: "HTTP 404 (not found): MANIFEST_UNKNOWN",
        },
      ]);
      expect(lock.components.xcache.chart).toEqual({
        path: "charts/xcache",
        name: "xcache",
        version: "0.1.0",
      });
    });

    it("locks the OCI chart's manifest digest, the one skopeo reads", async () => {
      const { stdout } = await runner.run(skopeo, [
        ...["inspect", "--raw", "--tls-verify=false", "--authfile", authFile],
        `docker://${token.registry.host}/charts/mlflow:1.11.5`,
      ]);
      const { createHash } = await import("node:crypto");
      const digest = `sha256:${createHash("sha256").update(stdout).digest("hex")}`;
      expect((await readLock()).components.mlflow.chart.digest).toBe(digest);
    });

    it("is deterministic: writing the lock again changes no byte", async () => {
      const before = await readFile(path.join(project.root, "stack.lock"), "utf8");
      const r = await verify(["--update-lock"]);
      expect(r.out.written).toBe(false);
      expect(await readFile(path.join(project.root, "stack.lock"), "utf8")).toBe(before);
    });

    it("finds drift when a tag is re-pushed with other bytes, until the lock is updated", async () => {
      const old = built.get(`${token.registry.host}/jupyterhub/k8s-hub:4.4.1`) as BuiltImage;
      const repushed = await push(token, "jupyterhub/k8s-hub", "4.4.1", "hub rebuilt", [
        AMD64,
        ARM64,
      ]);
      expect(repushed.digest).not.toBe(old.digest);
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.out.compared).toBe(true);
      expect(lines(r.out)).toContain(
        `coffea-casa: image hub ${token.registry.host}/jupyterhub/k8s-hub:4.4.1: drift: the tag now points to ${repushed.digest}; stack.lock has ${old.digest}`,
      );
      const human = await runCli(["verify", "--registry-auth", authFile], project.root);
      expect(human.stdout).toContain(
        `coffea-casa: image hub ${token.registry.host}/jupyterhub/k8s-hub:4.4.1: drift:`,
      );
      await verify(["--update-lock"]);
      expect(lines((await verify()).out).filter((l) => l.includes(": drift:"))).toEqual([]);
    });

    it("checks a kind node image by its digest: a re-pushed tag is not drift, a deleted one is missing, a new pin a stale lock", async () => {
      const [th, bh] = [token.registry.host, basic.registry.host];
      const pinned = built.get(`${th}/kindest/node:v1.35.8`) as BuiltImage;
      const moved = await push(token, "kindest/node", "v1.35.8", "node rebuilt", [AMD64, ARM64]);
      expect(moved.digest).not.toBe(pinned.digest);
      const human = await runCli(["verify", "--registry-auth", authFile], project.root);
      expect(human.stdout).toMatch(
        /│ kubernetes 1\.35\.8 +│ kind node image +│ .*kindest\/node:v1\.35\.8@sha256:.*│ linux\/amd64, linux\/arm64 +│/,
      );
      expect(human.stdout.split("\n").filter((l) => l.startsWith("kubernetes "))).toEqual([
        `kubernetes 1.37.0: kind node image ${th}/kindest/node:v1.37.0@${NEVER}: missing: HTTP 404 (not found): MANIFEST_UNKNOWN`,
      ]);

      const node = built.get(`${bh}/kindest/node:v1.36.4`) as BuiltImage;
      const auth = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString("base64")}`;
      const del = await fetch(`http://${bh}/v2/kindest/node/manifests/${node.digest}`, {
        method: "DELETE",
        headers: { authorization: auth },
      });
      expect(del.status).toBe(202);
      expect(lines((await verify()).out)).toContain(
        `kubernetes 1.36.4: kind node image ${nodeImage(basic, "v1.36.4")}: missing: HTTP 404 (not found)`,
      );
      await push(basic, "kindest/node", "v1.36.4", "node 1.36.4", [AMD64]); // the same bytes again

      const file = path.join(project.root, "stack.yaml");
      const original = await readFile(file, "utf8");
      await writeFile(file, original.replace(pinned.digest, moved.digest));
      try {
        // What the registries answer comes first, then how the lock compares.
        expect(lines((await verify()).out).filter((l) => l.startsWith("kubernetes 1.3"))).toEqual([
          `kubernetes 1.37.0: kind node image ${th}/kindest/node:v1.37.0@${NEVER}: missing: HTTP 404 (not found): MANIFEST_UNKNOWN`,
          `kubernetes 1.35.8: kind node image ${th}/kindest/node:v1.35.8@${moved.digest}: stale-lock: stack.lock locks ${th}/kindest/node:v1.35.8@${pinned.digest}; run shoppe verify --update-lock after checking the change`,
        ]);
      } finally {
        await writeFile(file, original);
      }
    });

    it("reports an image that vanished from the registry", async () => {
      const app = built.get(`${basic.registry.host}/sslhep/servicex_app:v1.5.3`) as BuiltImage;
      const auth = `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString("base64")}`;
      const del = await fetch(
        `http://${basic.registry.host}/v2/sslhep/servicex_app/manifests/${app.digest}`,
        {
          method: "DELETE",
          headers: { authorization: auth },
        },
      );
      expect(del.status).toBe(202);
      const r = await verify();
      expect(lines(r.out)).toContain(
        `servicex: image app ${basic.registry.host}/sslhep/servicex_app:v1.5.3: missing: HTTP 404 (not found)`,
      );
      await push(basic, "sslhep/servicex_app", "v1.5.3", "app", [AMD64]); // the same bytes again
      expect(lines((await verify()).out).some((l) => l.includes("image app"))).toBe(false);
    });

    it("without credentials, says which registry needs them", async () => {
      const r = await verify([], false);
      const app = lines(r.out).find((l) => l.startsWith("servicex: image app"));
      expect(app).toBe(
        `servicex: image app ${basic.registry.host}/sslhep/servicex_app:v1.5.3: unresolved: HTTP 401: ${basic.registry.host}/sslhep/servicex_app needs credentials (set registry-auth: docs/updates.md)`,
      );
      // The token registry lets anonymous clients pull, as public registries do.
      expect(lines(r.out).some((l) => l.startsWith("coffea-casa: image"))).toBe(false);
      expect(r.stdout).not.toContain(basic.password);
    });

    it("checks a digest stack.yaml pins, and calls a lock that no longer matches the pins stale", async () => {
      const file = path.join(project.root, "stack.yaml");
      const original = await readFile(file, "utf8");
      const doc = parse(original);
      const wrong = `sha256:${"0".repeat(64)}`;
      doc.components["coffea-casa"].images[0].digest = wrong;
      doc.components.triton.images[0].tag = "26.08-py3";
      await writeFile(file, (await import("yaml")).stringify(doc));
      try {
        const all = lines((await verify()).out);
        const notebook = built.get(
          `${token.registry.host}/coffea-casa/cc-dask-alma9:2026.10.08.3`,
        ) as BuiltImage;
        expect(all).toContain(
          `coffea-casa: image notebook ${token.registry.host}/coffea-casa/cc-dask-alma9:2026.10.08.3: drift: stack.yaml pins ${wrong}, the tag now points to ${notebook.digest}`,
        );
        expect(all).toContain(
          `triton: image server ${token.registry.host}/nvidia/tritonserver:26.08-py3: stale-lock: stack.lock locks ${token.registry.host}/nvidia/tritonserver:26.07-py3; run shoppe verify --update-lock after checking the change`,
        );
      } finally {
        await writeFile(file, original);
      }
    });

    it("reports a registry that is down as unresolved, and --allow-unresolved accepts only that", async () => {
      await basic.registry.close();
      const r = await verify();
      expect(lines(r.out).find((l) => l.startsWith("servicex: image app"))).toBe(
        `servicex: image app ${basic.registry.host}/sslhep/servicex_app:v1.5.3: unresolved: connection refused`,
      );
      const allowed = await runCli(
        ["verify", "--retries", "0", "--registry-auth", authFile, "--allow-unresolved"],
        project.root,
      );
      expect(allowed.code).toBe(1); // triton's platform problem still fails it
    });
  },
);
