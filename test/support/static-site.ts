/**
 * A directory served over HTTP on 127.0.0.1, as GitHub Pages would serve it: `/` and every
 * directory answer their index.html, a path that leaves the directory or names nothing is a
 * 404. Every request is recorded.
 */
import { readFile, stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { freePort } from "./ports.js";

/** A running site. */
export interface StaticSite {
  url: string;
  requests: { path: string; status: number }[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
  ".yaml": "text/yaml",
  ".gz": "application/gzip",
  ".tgz": "application/gzip",
};

async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  const rel = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? "/");
  const file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return undefined;
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) return resolveFile(root, `${rel.replace(/\/?$/, "/")}index.html`);
  return st?.isFile() ? file : undefined;
}

/** Serves `dir` until `close()`. */
export async function serveDirectory(dir: string): Promise<StaticSite> {
  const root = path.resolve(dir);
  const port = await freePort();
  const requests: StaticSite["requests"] = [];
  const server = http.createServer((req, res) => {
    const urlPath = req.url ?? "/";
    resolveFile(root, urlPath)
      .then(async (file) => {
        if (!file) throw new Error("not found");
        const body = await readFile(file);
        const type = TYPES[path.extname(file)] ?? "application/octet-stream";
        res.writeHead(200, { "content-type": type, "content-length": body.length });
        res.end(body);
        requests.push({ path: urlPath, status: 200 });
      })
      .catch(() => {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        requests.push({ path: urlPath, status: 404 });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
