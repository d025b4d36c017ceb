/**
 * A loopback HTTP server for a run of helm: it serves a fixed set of files (a mirror's
 * archives) at fixed paths on 127.0.0.1 and an ephemeral port, and nothing else.
 */
import { createReadStream } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A running file server. */
export interface FileServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Request paths served, in order (for tests and debug output). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` (URL path such as `/shoppe-mlflow/mlflow-1.11.5.tgz` → absolute file). */
export async function serveFiles(files: ReadonlyMap<string, string>): Promise<FileServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    // Paths are matched as sent: the ones handed out need no decoding, and a malformed escape
    // must not throw inside the server.
    const urlPath = (req.url ?? "/").split("?")[0] ?? "/";
    requests.push(urlPath);
    const file = files.get(urlPath);
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/gzip" });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
