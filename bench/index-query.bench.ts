/**
 * Reading a large chart repository: `shoppe outdated` (the built CLI) against helm reading
 * the same repository (`helm repo add` + `helm search repo --versions`), both cold (no cache,
 * a fresh helm home) over a generated index.yaml of 20,000 entries (about 20 MB, the size
 * class of Bitnami's) served on loopback. Goal: at most half of helm's time, and peak memory
 * under 300 MB (measured after the runs, each side in its own process tree, and printed).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, bench, describe } from "vitest";
import { findTool } from "../test/helpers/tools.js";
import { bigIndex, CHARTS, VERSIONS } from "./support/big-index.js";
import { cliMissing, peak, run, SHOPPE_BIN, timeMissing } from "./support/processes.js";

const helm = findTool("helm");
const missing =
  cliMissing() ?? timeMissing() ?? (helm ? undefined : "no helm: run scripts/install-tools");

async function setup() {
  const body = Buffer.from(bigIndex());
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      "content-type": "text/yaml",
      etag: '"big"',
      "content-length": body.length,
    });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
  const project = mkdtempSync(path.join(os.tmpdir(), "shoppe-bench-index-"));
  writeFileSync(
    path.join(project, "stack.yaml"),
    [
      "apiVersion: shoppe.coffea-casa.io/v1alpha1",
      "release: {name: bench, version: 0.1.0, description: bench}",
      "kubernetes: {versions: [{version: 1.35.4}]}",
      "components:",
      "  app:",
      "    displayName: App",
      "    description: a chart of the big repository",
      `    chart: {repository: "${url}", name: chart-399, version: 0.1.0}`,
      "    appVersion: 0.1.0",
      "    source: {github: example/chart-399}",
      "",
    ].join("\n"),
  );
  const home = () => {
    const h = mkdtempSync(path.join(os.tmpdir(), "shoppe-bench-helm-"));
    return {
      dir: h,
      env: {
        HELM_CACHE_HOME: `${h}/cache`,
        HELM_CONFIG_HOME: `${h}/config`,
        HELM_DATA_HOME: `${h}/data`,
      },
    };
  };
  const shoppe = ["node", SHOPPE_BIN, "-C", project, "--json", "outdated", "--retries", "0"];
  const coldShoppe = () => {
    rmSync(path.join(project, ".shoppe"), { recursive: true, force: true });
    return shoppe;
  };
  const helmScript = `"${helm}" repo add bench ${url} >/dev/null && "${helm}" search repo bench/chart-399 --versions >/dev/null`;
  const peer = () => {
    const h = home();
    return {
      argv: ["sh", "-c", helmScript],
      env: h.env,
      done: () => rmSync(h.dir, { recursive: true, force: true }),
    };
  };
  const close = async () => {
    rmSync(project, { recursive: true, force: true });
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return { body, shoppe, coldShoppe, peer, close };
}

const ready = missing ? undefined : await setup();
afterAll(async () => {
  if (!ready) return;
  const s = await peak(ready.coldShoppe());
  const p = ready.peer();
  const h = await peak(p.argv, p.env);
  p.done();
  process.stdout.write(
    `\nindex of ${CHARTS * VERSIONS} entries (${(ready.body.length / 1e6).toFixed(1)} MB): shoppe outdated peak ${s.mib} MiB in ${s.seconds} s; helm repo add + search peak ${h.mib} MiB in ${h.seconds} s\n`,
  );
  await ready.close();
});

const use = () => ready as NonNullable<typeof ready>;

(ready ? describe : describe.skip)(
  `query a 20,000-entry index${missing ? ` (${missing})` : ""}`,
  () => {
    const options = { time: 5_000, iterations: 5, warmupIterations: 1 };
    bench(
      "shoppe outdated (cold: fetch, scan, query)",
      async () => {
        const out = JSON.parse(await run(use().coldShoppe()));
        const wanted = out.components[0].wanted;
        if (wanted !== "0.4.3") throw new Error(`unexpected answer ${wanted}`);
      },
      options,
    );
    bench(
      "shoppe outdated (warm: 304 from the cache)",
      async () => {
        await run(use().shoppe);
      },
      options,
    );
    bench(
      "peer: helm repo add + helm search repo --versions (fresh home)",
      async () => {
        const p = use().peer();
        try {
          await run(p.argv, p.env);
        } finally {
          p.done();
        }
      },
      options,
    );
  },
);
