/**
 * The real published chart repositories of ../shared/upstream served over loopback the way
 * GitHub Pages serves them: each folder at `/<folder>/` with its full published index.yaml
 * (every archive URL pointed here) and the archives it holds, every response with a strong
 * ETag, and If-None-Match answered 304. A folder can be told to fail with a status, to hang
 * (accept and never answer) or to publish a new index; every request is logged.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { parse } from "yaml";

/** A fault a folder shows until cleared. */
export type Fault = { kind: "status"; status: number } | { kind: "hang" };

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "hung";
  /** The If-None-Match the client sent. */
  ifNoneMatch: string | undefined;
}

/** The running server. */
export interface IndexServer {
  root: string;
  /** Upstream URL (as mirror.yaml names it) → the loopback URL of its folder. */
  urls: Map<string, string>;
  requests: LoggedRequest[];
  /** Makes `folder` fail or hang (undefined clears it). */
  fault(folder: string, fault: Fault | undefined): void;
  /** Replaces a folder's index.yaml (a new release published upstream). */
  publish(folder: string, text: string): void;
  close(): Promise<void>;
}

const etagOf = (b: Buffer) => `"${createHash("sha256").update(b).digest("hex").slice(0, 32)}"`;

/** Serves every chart folder of the mirror at `source` (a mirror.yaml and its folders). */
export async function serveIndexes(source: string): Promise<IndexServer> {
  const mirror = parse(await readFile(path.join(source, "mirror.yaml"), "utf8")) as {
    charts: { url: string; path: string }[];
  };
  const files = new Map<string, Buffer | string>();
  const faults = new Map<string, Fault>();
  const requests: LoggedRequest[] = [];
  const hung = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    const entry = {
      method: req.method ?? "GET",
      path: p,
      ifNoneMatch: req.headers["if-none-match"],
    };
    const fault = faults.get(p.split("/")[1] ?? "");
    if (fault?.kind === "hang") {
      requests.push({ ...entry, status: "hung" });
      hung.add(req.socket);
      return; // never answered: the client's timeout must end it
    }
    const respond = (
      status: number,
      body: Buffer | string = "",
      headers: http.OutgoingHttpHeaders = {},
    ) => {
      requests.push({ ...entry, status });
      res.writeHead(status, headers).end(req.method === "HEAD" ? undefined : body);
    };
    if (fault?.kind === "status") return respond(fault.status, `fault injected: ${fault.status}\n`);
    const stored = files.get(p);
    if (stored === undefined) return respond(404, "not found\n");
    const send = (body: Buffer) => {
      const etag = etagOf(body);
      if (req.headers["if-none-match"] === etag) return respond(304, "", { etag });
      const type = p.endsWith(".yaml") ? "text/yaml" : "application/gzip";
      respond(200, body, { etag, "content-type": type, "content-length": body.length });
    };
    if (typeof stored === "string") readFile(stored).then(send, () => respond(500));
    else send(stored);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = new Map<string, string>();
  for (const f of mirror.charts) {
    const name = path.basename(f.path);
    const dir = path.join(source, f.path);
    const archives = (await readdir(dir)).filter((n) => n.endsWith(".tgz"));
    for (const a of archives) files.set(`/${name}/${a}`, path.join(dir, a));
    urls.set(f.url, `${root}/${name}`);
  }
  // Every archive URL points here, present or not: a client never leaves the machine, and
  // an archive the folder lacks is a 404, as on a repository that lost it.
  const publish = (folder: string, text: string) => {
    const out = text.replace(/https?:\/\/[^\s"']+\/([^/\s"']+\.tgz)/g, `${root}/${folder}/$1`);
    files.set(`/${folder}/index.yaml`, Buffer.from(out));
  };
  for (const f of mirror.charts) {
    publish(path.basename(f.path), await readFile(path.join(source, f.path, "index.yaml"), "utf8"));
  }
  return {
    root,
    urls,
    requests,
    fault: (folder, fault) => {
      if (fault) faults.set(folder, fault);
      else faults.delete(folder);
    },
    publish,
    close: async () => {
      for (const s of hung) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
