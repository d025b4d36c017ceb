/**
 * One HTTP exchange over node:http/https with keep-alive agents: the request, redirects
 * (at most 5; the Authorization header is dropped when one leaves the origin), and the body
 * read up to a cap. node:http rather than fetch: Node 20's fetch opens a new connection for
 * every HEAD, which is what `verify` sends most, and a connection per request costs more than
 * the request.
 */
import http from "node:http";
import https from "node:https";
import { FetchError } from "./fetch-error.js";

/** Keep-alive connection pools, one per protocol. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/** Pools allowing `sockets` connections per host. */
export function createAgents(sockets: number): Agents {
  const options = { keepAlive: true, maxSockets: sockets };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/** Response headers, read by name (case-insensitive; repeated ones joined as fetch joins them). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** A finished exchange. */
export interface Exchange {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** What to send. */
export interface ExchangeOptions {
  method: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  maxBytes: number;
  agents: Agents;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The headers node:http parsed (names already lower case), without fetch's Headers class: the
 * first Headers of a process loads Node's whole fetch implementation, 25 ms of a `verify`.
 */
function toHeaders(raw: http.IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

/** One request and its response (no redirects). */
function once(url: URL, o: ExchangeOptions): Promise<Exchange> {
  const lib = url.protocol === "https:" ? https : http;
  const agent = url.protocol === "https:" ? o.agents.https : o.agents.http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: o.method, headers: o.headers, agent, signal: o.signal },
      (res) => {
        const declared = Number(res.headers["content-length"] ?? "0");
        if (declared > o.maxBytes) {
          res.destroy();
          reject(
            new FetchError(
              url.href,
              "too-large",
              `the body is ${declared} bytes, over ${o.maxBytes}`,
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > o.maxBytes) {
            res.destroy();
            reject(new FetchError(url.href, "too-large", `the body passed ${o.maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: toHeaders(res.headers),
            body: Buffer.concat(chunks, size),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Sends the request, following redirects. */
export async function exchange(url: string, o: ExchangeOptions): Promise<Exchange> {
  let at = new URL(url);
  let options = o;
  for (let hop = 0; ; hop++) {
    const res = await once(at, options);
    const location = res.headers.get("location");
    if (!REDIRECTS.has(res.status) || !location || hop >= 5) return res;
    const next = new URL(location, at);
    const headers = { ...options.headers };
    // Credentials belong to the origin that asked for them (blob stores sign their own URLs).
    if (next.origin !== at.origin) delete headers.authorization;
    const method = res.status === 303 ? "GET" : options.method;
    options = { ...options, method, headers };
    at = next;
  }
}
