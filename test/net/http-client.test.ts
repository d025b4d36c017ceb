/**
 * The update commands' HTTP client against servers on 127.0.0.1 that misbehave on purpose:
 * retries with backoff (and Retry-After), timeouts of a server that never answers, refused
 * connections, the concurrency limit, the body cap, aborts, and the ETag cache (304 answered
 * from disk, offline answers, a server that stops sending validators).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FetchError } from "../../src/net/fetch-error.js";
import { HttpCache } from "../../src/net/http-cache.js";
import { HttpClient } from "../../src/net/http-client.js";
import { closedPort } from "../support/ports.js";
import { type TempDir, tempDir } from "../support/temp.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A server whose handler the test sets; counts requests and the most in flight at once. */
async function testServer() {
  let handler: Handler = (_q, res) => res.end("ok");
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    count++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    handler(req, res, count);
  });
  server.on("connection", (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (h: Handler) => {
      handler = h;
    },
    count: () => count,
    maxInFlight: () => maxInFlight,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let server: Awaited<ReturnType<typeof testServer>>;
let dir: TempDir;
beforeEach(async () => {
  server = await testServer();
  dir = await tempDir("http-client");
});
afterEach(async () => {
  await server.close();
  await dir.remove();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );

describe("HttpClient", () => {
  it("retries 503 with backoff until it passes", async () => {
    server.set((_q, res, n) => (n < 3 ? res.writeHead(503).end() : res.end("fine")));
    const client = new HttpClient({ retries: 2, backoffMs: 40 });
    const t0 = Date.now();
    const res = await client.request(`${server.url}/x`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("fine");
    expect(server.count()).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(20 + 40); // half of each ceiling at least
  });

  it("honours Retry-After and answers the last status when retries run out", async () => {
    server.set((_q, res) => res.writeHead(429, { "retry-after": "1" }).end());
    const t0 = Date.now();
    const res = await new HttpClient({ retries: 1, backoffMs: 10 }).request(server.url);
    expect(res.status).toBe(429);
    expect(server.count()).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it("does not retry a 404", async () => {
    server.set((_q, res) => res.writeHead(404).end());
    expect((await new HttpClient({ retries: 3 }).request(server.url)).status).toBe(404);
    expect(server.count()).toBe(1);
  });

  it("gives up on a server that never answers, after its timeout per attempt", async () => {
    server.set(() => {}); // accept, never answer
    const client = new HttpClient({ timeoutMs: 150, retries: 1, backoffMs: 10 });
    const t0 = Date.now();
    const err = await failure(client.request(`${server.url}/index.yaml`));
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).failure).toBe("timeout");
    expect((err as Error).message).toBe(
      `failed to fetch ${server.url}/index.yaml: no answer within 0.15 s (2 attempts)`,
    );
    expect(server.count()).toBe(2);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("reports a refused connection in words", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/index.yaml`;
    const err = await failure(new HttpClient({ retries: 1, backoffMs: 5 }).request(url));
    expect((err as Error).message).toBe(`failed to fetch ${url}: connection refused (2 attempts)`);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    server.set((_q, res) => setTimeout(() => res.end("x"), 30));
    const client = new HttpClient({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.request(`${server.url}/${i}`)));
    expect(server.count()).toBe(12);
    expect(server.maxInFlight()).toBe(3);
  });

  it("refuses a body over the cap, declared or streamed", async () => {
    server.set((q, res) => {
      if (q.url === "/declared")
        res.writeHead(200, { "content-length": 5000 }).end("x".repeat(5000));
      else res.end("y".repeat(5000));
    });
    const client = new HttpClient({ maxBytes: 1000, retries: 2 });
    for (const p of ["/declared", "/streamed"]) {
      const err = await failure(client.request(server.url + p));
      expect((err as FetchError).failure).toBe("too-large");
    }
    expect(server.count()).toBe(2); // never retried
  });

  it("stops at once when the command is interrupted", async () => {
    server.set(() => {});
    const abort = new AbortController();
    const client = new HttpClient({ timeoutMs: 10_000, retries: 3 }, { signal: abort.signal });
    const pending = failure(client.request(server.url));
    setTimeout(() => abort.abort(new Error("received SIGINT")), 50);
    expect(((await pending) as Error).message).toBe("received SIGINT");
    expect(server.count()).toBe(1);
  });

  it("sends nothing offline", async () => {
    const err = await failure(new HttpClient({ offline: true }).request(server.url));
    expect((err as FetchError).failure).toBe("offline");
    expect(server.count()).toBe(0);
  });
});

describe("HttpCache", () => {
  it("revalidates with If-None-Match and answers a 304 from disk", async () => {
    const seen: (string | undefined)[] = [];
    server.set((q, res) => {
      seen.push(q.headers["if-none-match"]);
      if (q.headers["if-none-match"] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"' }).end("index body");
    });
    const cache = new HttpCache(path.join(dir.path, "cache"));
    const client = new HttpClient();
    const first = await cache.get(client, `${server.url}/index.yaml`);
    expect(first).toMatchObject({ outcome: "fetched", transferred: 10 });
    const second = await cache.get(client, `${server.url}/index.yaml`);
    expect(second).toMatchObject({ outcome: "not-modified", transferred: 0 });
    expect(second.body.toString()).toBe("index body");
    expect(seen).toEqual([undefined, '"v1"']);
    const offline = await cache.get(new HttpClient({ offline: true }), `${server.url}/index.yaml`);
    expect(offline.outcome).toBe("offline-cached");
    const unknown = await failure(
      cache.get(new HttpClient({ offline: true }), `${server.url}/other.yaml`),
    );
    expect((unknown as FetchError).failure).toBe("offline");
  });

  it("falls back to If-Modified-Since, and forgets a URL whose server stops validating", async () => {
    let validators = true;
    const seen: (string | undefined)[] = [];
    server.set((q, res) => {
      seen.push(q.headers["if-modified-since"]);
      if (validators && q.headers["if-modified-since"]) return res.writeHead(304).end();
      res.writeHead(200, validators ? { "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT" } : {});
      res.end("body");
    });
    const cache = new HttpCache(path.join(dir.path, "cache"));
    const client = new HttpClient();
    await cache.get(client, server.url);
    expect((await cache.get(client, server.url)).outcome).toBe("not-modified");
    validators = false;
    await cache.get(client, server.url);
    expect((await cache.get(client, server.url)).outcome).toBe("fetched");
    expect(seen.at(-1)).toBeUndefined();
  });

  it("never blocks on a FIFO in the cache: the entry is fetched afresh and replaced", async () => {
    server.set((_q, res) => res.writeHead(200, { etag: '"v1"' }).end("fresh"));
    const cacheDir = path.join(dir.path, "cache");
    const url = `${server.url}/index.yaml`;
    const key = createHash("sha256").update(url).digest("hex");
    await mkdir(cacheDir);
    execFileSync("mkfifo", [
      path.join(cacheDir, `${key}.json`),
      path.join(cacheDir, `${key}.body`),
    ]);
    const cache = new HttpCache(cacheDir);
    const offline = await failure(cache.get(new HttpClient({ offline: true }), url));
    expect((offline as FetchError).failure).toBe("offline");
    const got = await cache.get(new HttpClient(), url);
    expect(got).toMatchObject({ outcome: "fetched", transferred: 5 });
    expect(await readFile(path.join(cacheDir, `${key}.body`), "utf8")).toBe("fresh");
  }, 10_000);

  it("turns an error status into a FetchError naming it", async () => {
    server.set((_q, res) => res.writeHead(404).end());
    const err = await failure(new HttpCache(dir.path).get(new HttpClient(), `${server.url}/i`));
    expect((err as Error).message).toBe(`failed to fetch ${server.url}/i: HTTP 404 (not found)`);
  });
});
