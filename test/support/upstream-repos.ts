/**
 * A mirror's chart folders served as live HTTP chart repositories on 127.0.0.1, the way a
 * facility's chart proxy serves them: each folder at `/<folder name>/`, its full published
 * index.yaml with the `urls` of the archives present rewritten to this server. A substitute's
 * digest is rewritten to its own bytes: to a client this server is upstream, publishing them.
 */
import { createHash } from "node:crypto";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parse, stringify } from "yaml";
import { RepositoryIndex } from "../../src/helm/index-file.js";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { type TempDir, tempDir } from "./temp.js";

/** The running repositories. */
export interface UpstreamRepos {
  /** Upstream URL (as in mirror.yaml) → the loopback URL serving that folder. */
  urls: Map<string, string>;
  /** Request paths, for assertions. */
  requests: string[];
  /** Stops serving: the "original sources switched off". */
  stop(): Promise<void>;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The folder's index with its archives' urls (and substitutes' digests) pointing here. */
async function rewrittenIndex(
  dir: string,
  base: string,
  substitutes: { chart: string; version: string; file: string }[],
): Promise<string> {
  let text = await readFile(path.join(dir, "index.yaml"), "utf8");
  const archives = (await readdir(dir)).filter((f) => f.endsWith(".tgz"));
  for (const file of archives) {
    text = text.replace(
      new RegExp(`https?://[^\\s"']+/${escapeRegExp(file)}`, "g"),
      `${base}/${file}`,
    );
  }
  for (const s of substitutes) {
    const at = new RepositoryIndex(text).locate(s.chart, s.version);
    if (!at) continue;
    const sum = createHash("sha256")
      .update(await readFile(path.join(dir, s.file)))
      .digest("hex");
    const entry = text.slice(at.start, at.end).replace(/(\n\s+digest:\s*)\S+/, `$1${sum}`);
    text = text.slice(0, at.start) + entry + text.slice(at.end);
  }
  return text;
}

/** Serves every chart folder of the mirror at `mirrorDir`. */
export async function serveUpstreamRepos(mirrorDir: string): Promise<UpstreamRepos> {
  const mirror = await loadMirror(mirrorDir);
  const files = new Map<string, string | Buffer>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(p);
    const body = files.get(p);
    if (body === undefined) {
      res.writeHead(404).end("not found\n");
      return;
    }
    const send = (b: Buffer | string) => res.writeHead(200).end(b);
    if (typeof body === "string") readFile(body).then(send, () => res.writeHead(500).end());
    else send(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = new Map<string, string>();
  for (const f of mirror.charts) {
    const name = path.basename(f.path);
    const dir = path.join(mirror.dir, f.path);
    const base = `${root}/${name}`;
    const subs = mirror.substitutes
      .filter((s) => path.dirname(s.archive) === f.path)
      .map((s) => ({ chart: s.chart, version: s.version, file: path.basename(s.archive) }));
    files.set(`/${name}/index.yaml`, Buffer.from(await rewrittenIndex(dir, base, subs)));
    for (const file of await readdir(dir)) {
      if (file.endsWith(".tgz")) files.set(`/${name}/${file}`, path.join(dir, file));
    }
    urls.set(f.url, base);
  }
  let running = true;
  return {
    urls,
    requests,
    stop: async () => {
      if (!running) return;
      running = false;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A copy of the mirror at `mirrorDir` whose mirror.yaml names the loopback URLs instead of the
 * upstream ones: for a project whose stack points at the stand-in repositories.
 */
export async function retargetedMirror(
  mirrorDir: string,
  urls: ReadonlyMap<string, string>,
): Promise<TempDir> {
  const copy = await tempDir("retargeted-mirror");
  await cp(mirrorDir, copy.path, { recursive: true });
  const doc = parse(await readFile(path.join(mirrorDir, "mirror.yaml"), "utf8"));
  const swap = (u: string) => urls.get(u) ?? u;
  for (const c of doc.charts) c.url = swap(c.url);
  for (const s of doc.substitutes ?? []) s.repository = swap(s.repository);
  await writeFile(path.join(copy.path, "mirror.yaml"), stringify(doc));
  return copy;
}
