/**
 * The live checks' HTTP client: one request, bounded in time and size, that connects to
 * loopback but names the service as a notebook in the cluster does. The URL keeps the
 * in-cluster host (`mlflow.<ns>.svc`), so the Host header a server judges is the real one
 * (MLflow 3's allowed-hosts check, JupyterHub's routes); a custom `lookup` resolves that name
 * to the loopback address the port-forward or the local process listens on.
 */
import http from "node:http";
import type { LookupFunction } from "node:net";

/** What a request returned. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request. */
export interface HttpCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (content-type set) unless a string. */
  body?: unknown;
  signal: AbortSignal;
  /** In-cluster names → loopback addresses; other names fail (never leave the machine). */
  lookup: (hostname: string) => string | undefined;
  /** Default 4 MiB. */
  maxBytes?: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** A lookup that resolves only loopback names and the names `map` knows. */
export function loopbackLookup(map: (hostname: string) => string | undefined): LookupFunction {
  return (hostname, options, callback) => {
    const address = LOOPBACK.test(hostname)
      ? hostname === "localhost"
        ? "127.0.0.1"
        : hostname
      : map(hostname);
    const family = address?.includes(":") ? 6 : 4;
    const cb = callback as (...a: unknown[]) => void;
    if (!address) {
      const err = Object.assign(new Error(`${hostname} is not a service reached from here`), {
        code: "ENOTFOUND",
      });
      cb(err);
    } else if ((options as { all?: boolean }).all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  };
}

/** Words for a connection error, naming the address and what to do. */
export function connectionProblem(err: unknown, where: string): string {
  const code = (err as { code?: string }).code;
  if (code === "ECONNREFUSED")
    return `nothing listens at ${where} (connection refused): is the service running?`;
  if (code === "ECONNRESET") return `${where} closed the connection`;
  if (code === "ENOTFOUND") return (err as Error).message;
  return `${where}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Sends one request; rejects with a reason on a connection error, an abort or an oversize body. */
export function httpCall(url: string, o: HttpCall): Promise<HttpAnswer> {
  const u = new URL(url);
  const body =
    o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = { ...o.headers };
  if (body !== undefined && typeof o.body !== "string")
    headers["content-type"] = "application/json";
  // A length, not chunked encoding: some servers (MLflow's) read no chunked request body.
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const max = o.maxBytes ?? 4 * 1024 * 1024;
  const where = `${u.host} (${url.split("?")[0]})`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      u,
      {
        method: o.method ?? "GET",
        headers,
        lookup: loopbackLookup(o.lookup),
        signal: o.signal,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > max) {
            req.destroy(new Error(`${where} answered more than ${max} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", (e) => reject(new Error(connectionProblem(e, where))));
      },
    );
    req.on("error", (e) => {
      if (o.signal.aborted)
        reject(new Error(`no answer from ${where} before the check's deadline`));
      else reject(new Error(connectionProblem(e, where)));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The answer's body as JSON, or a reason naming what came back instead. */
export function jsonOf<T>(a: HttpAnswer, what: string): T {
  try {
    return JSON.parse(a.text) as T;
  } catch {
    throw new Error(
      `${what}: HTTP ${a.status} with a body that is not JSON: ${a.text.slice(0, 200)}`,
    );
  }
}
