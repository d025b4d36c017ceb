/**
 * The one HTTP client of the update commands (outdated, bump, verify): every request waits for
 * a slot of a shared concurrency limit, each attempt has a timeout covering headers and body,
 * and failures that may pass (connection errors, timeouts, 408/429/5xx) are retried with
 * exponential backoff and jitter, honouring Retry-After. Bodies are capped. Offline, nothing is
 * sent. Messages never carry request headers (credentials travel there).
 */
import type { Logger } from "../log.js";
import { FetchError } from "./fetch-error.js";
import { createLimiter, type Limiter } from "./limiter.js";
import { type Agents, createAgents, exchange, type ResponseHeaders } from "./transport.js";

/** How requests behave. */
export interface HttpSettings {
  /** Per attempt, headers and body together. */
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** First backoff; doubled per attempt, with full jitter, capped at 8 s. */
  backoffMs: number;
  concurrency: number;
  /** Send nothing: every request fails as offline (caches may still answer). */
  offline: boolean;
  /** Largest body accepted (Bitnami's index passed 20 MB). */
  maxBytes: number;
}

/** Defaults for a command line run against public services. */
export const DEFAULT_HTTP: HttpSettings = {
  timeoutMs: 30_000,
  retries: 2,
  backoffMs: 500,
  concurrency: 8,
  offline: false,
  maxBytes: 256 * 1024 * 1024,
};

/** One response: status, headers and the whole body (empty for HEAD). */
export interface HttpResponse {
  url: string;
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** What a request sends. */
export interface HttpRequest {
  method?: "GET" | "HEAD";
  headers?: Record<string, string>;
  /** Retries for this request instead of the client's. */
  retries?: number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 8_000;

/** What the client reports to and is stopped by. */
export interface HttpDeps {
  /** The command's interrupt: aborts every request and every wait. */
  signal?: AbortSignal;
  logger?: Logger;
}

/** Sends requests under one set of HttpSettings. */
export class HttpClient {
  readonly settings: HttpSettings;
  private readonly limiter: Limiter;
  private readonly agents: Agents;

  constructor(
    settings: Partial<HttpSettings> = {},
    private readonly deps: HttpDeps = {},
  ) {
    this.settings = { ...DEFAULT_HTTP, ...settings };
    this.limiter = createLimiter(this.settings.concurrency);
    this.agents = createAgents(this.settings.concurrency);
  }

  /**
   * Sends `req` to `url`, retrying what may pass; resolves with the final response whatever its
   * status, and rejects with a FetchError only when no response came (or the body was too
   * large). An abort of the command's signal rejects with its reason, without retrying.
   */
  async request(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
    if (this.settings.offline) {
      throw new FetchError(url, "offline", "not checked: --offline sends no request");
    }
    const method = req.method ?? "GET";
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= (req.retries ?? this.settings.retries);
      let wait: number;
      try {
        const res = await this.limiter.run(() => this.once(url, method, req.headers ?? {}));
        if (last || !RETRYABLE.has(res.status)) return res;
        wait = this.backoff(attempt, res.headers.get("retry-after"));
        this.deps.logger?.debug(`${method} ${url}: HTTP ${res.status}, retrying in ${wait} ms`);
      } catch (err) {
        if (!(err instanceof FetchError) || err.failure === "too-large" || last) {
          throw err instanceof FetchError && attempt > 0 ? withAttempts(err, attempt + 1) : err;
        }
        wait = this.backoff(attempt, null);
        this.deps.logger?.debug(`${method} ${url}: ${err.reason}, retrying in ${wait} ms`);
      }
      await sleep(wait, this.deps.signal);
    }
  }

  /** Full jitter over an exponential ceiling; a server's Retry-After (seconds) is a floor. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, this.settings.backoffMs * 2 ** attempt);
    const jittered = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    const asked = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    return Math.min(MAX_BACKOFF_MS, Math.max(jittered, asked));
  }

  private async once(
    url: string,
    method: string,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const user = this.deps.signal;
    user?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = user ? AbortSignal.any([user, timeout]) : timeout;
    const started = Date.now();
    try {
      const { maxBytes } = this.settings;
      const res = await exchange(url, { method, headers, signal, maxBytes, agents: this.agents });
      this.deps.logger?.debug(
        `${method} ${url} → ${res.status} (${Date.now() - started} ms, ${res.body.length} bytes)`,
      );
      return { url, ...res };
    } catch (err) {
      if (user?.aborted) throw user.reason;
      if (err instanceof FetchError) throw err;
      if (timeout.aborted) {
        const secs = this.settings.timeoutMs / 1000;
        throw new FetchError(url, "timeout", `no answer within ${secs} s`, { cause: err });
      }
      throw new FetchError(url, "network", networkReason(err), { cause: err });
    }
  }
}

/** The same error, saying how many attempts were made. */
function withAttempts(err: FetchError, attempts: number): FetchError {
  return new FetchError(err.url, err.failure, `${err.reason} (${attempts} attempts)`, {
    cause: err.cause,
    ...(err.status !== undefined ? { status: err.status } : {}),
  });
}

/** A connection failure in words a user acts on, from the error's code (or its cause's). */
function networkReason(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      const known: Record<string, string> = {
        ECONNREFUSED: "connection refused",
        ECONNRESET: "connection reset",
        ENOTFOUND: "host not found",
        EAI_AGAIN: "host name lookup failed",
        EHOSTUNREACH: "host unreachable",
        ENETUNREACH: "network unreachable",
        ECONNABORTED: "connection aborted",
        HPE_HEADER_OVERFLOW: "response headers too large",
      };
      return known[code] ?? code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
