/**
 * A Helm HTTP chart repository on 127.0.0.1: chart archives (the real ones, see
 * real-archives.ts) with an index.yaml from the real `helm repo index --url`, served by a node
 * `http` server. `stop()` closes the server (the "repository is down" case); `close()` also
 * removes its files.
 */
import { copyFile, readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { Helm } from "../../src/tools/helm.js";
import { freePort } from "./ports.js";
import { tempDir } from "./temp.js";

/** A running chart repository. */
export interface ChartRepo {
  url: string;
  port: number;
  dir: string;
  /** Every request path served, for assertions. */
  requests: string[];
  /** Stops serving (connections are refused afterwards); files stay. */
  stop(): Promise<void>;
  /** Stops and removes the files. */
  close(): Promise<void>;
}

/** Serves copies of `archives` (.tgz files) with the index helm writes for them. */
export async function startChartRepo(helm: Helm, archives: string[]): Promise<ChartRepo> {
  const dir = await tempDir("chart-repo");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  for (const a of archives) await copyFile(a, path.join(dir.path, path.basename(a)));
  await helm.repoIndex(dir.path, url);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(name);
    const file = path.join(dir.path, path.basename(name));
    readFile(file)
      .then((body) => {
        const type = file.endsWith(".yaml") ? "text/yaml" : "application/gzip";
        res.writeHead(200, { "content-type": type, "content-length": body.length });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(404).end("not found\n");
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url,
    port,
    dir: dir.path,
    requests,
    stop,
    close: async () => {
      await stop();
      await dir.remove();
    },
  };
}
