/**
 * Health probes for local control-plane processes: GET a health endpoint on 127.0.0.1 and
 * report whether it answered 200, plus a generic poll-until helper for API-level conditions.
 */
import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { ShoppeError } from "../../../errors.js";

/** TLS material for an https probe; `insecure` accepts a self-signed serving certificate. */
export interface ProbeTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  insecure?: boolean;
}

/** GETs `url` (2 s timeout); resolves true on HTTP 200, false on anything else. */
export function httpOk(url: string, tls: ProbeTls = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const lib = u.protocol === "https:" ? https : http;
    const req = lib.get(
      u,
      {
        timeout: 2_000,
        // No pooled keep-alive connection: a probe's idle socket would keep the probed
        // server's port busy (FIN-WAIT) after that server stops, so it could not be reused.
        agent: false,
        ...(u.protocol === "https:"
          ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure }
          : {}),
      },
      (res) => {
        resolve(res.statusCode === 200);
        // The status is all a probe needs; close the connection now rather than on idle.
        req.destroy();
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

/** Options of pollUntil. */
export interface PollOptions {
  /** What is awaited, for the timeout message ("nodes Ready"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Calls `check` until it returns a value other than undefined. Errors thrown by `check` count
 * as "not yet"; the last one is named in the timeout error.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  o: PollOptions,
): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let last: unknown;
  for (;;) {
    o.signal?.throwIfAborted();
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? `: last error: ${last.message}` : "";
      throw new ShoppeError(
        `timed out after ${Math.round(o.timeoutMs / 1000)}s waiting for ${o.what}${why}`,
        {
          cause: last,
        },
      );
    }
    await sleep(o.intervalMs ?? 250);
  }
}
