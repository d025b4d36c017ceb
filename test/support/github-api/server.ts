/**
 * A local HTTP server on 127.0.0.1 that answers like the GitHub REST API for the calls the
 * project makes (handlers.ts), so octokit runs unmodified against it. It checks the token
 * (`Authorization: token …` or `Bearer …`, 401 "Bad credentials" otherwise), logs every request
 * without its headers, and takes injected faults: a status and body for matching requests,
 * a number of times, optionally echoing the request's Authorization header back (a hostile
 * server: the client must still keep the token out of its messages).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { registerHandlers } from "./handlers.js";
import { type ApiResponse, Router } from "./router.js";
import { GitHubState } from "./state.js";

/** A fault: requests matching `method` and `path` get `status` (and `body`) `times` times. */
export interface Fault {
  method?: string;
  path: string | RegExp;
  status: number;
  body?: Record<string, unknown>;
  times?: number;
  /** Put the request's Authorization header into the error message. */
  echoAuthorization?: boolean;
  /** Headers of the fault's answer (e.g. `retry-after` of a secondary rate limit). */
  headers?: Record<string, string>;
  /**
   * Drop the connection instead of answering: `before` the request is handled, or `after`
   * it (the work is done but its answer is lost).
   */
  drop?: "before" | "after";
}

/** One logged request. */
export interface LoggedApiRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number;
  authorized: boolean;
}

/** The running fake. */
export interface GitHubApi {
  url: string;
  state: GitHubState;
  router: Router;
  requests: LoggedApiRequest[];
  inject(fault: Fault): void;
  close(): Promise<void>;
}

/** Starts the fake; `token` is the only credential it accepts. */
export async function startGitHubApi(token: string): Promise<GitHubApi> {
  const state = new GitHubState();
  const router = new Router();
  const requests: LoggedApiRequest[] = [];
  const faults: (Fault & { left: number })[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = decodeURIComponent(url.pathname);
      const raw = Buffer.concat(chunks);
      const contentType = req.headers["content-type"] ?? "";
      const json = raw.length > 0 && (!contentType || /json/i.test(contentType));
      let body: unknown = raw.length > 0 && !json ? raw : undefined;
      try {
        if (json) body = JSON.parse(raw.toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json; charset=utf-8" });
        return res.end(JSON.stringify({ message: "Problems parsing JSON" }));
      }
      const auth = req.headers.authorization ?? "";
      const authorized = auth === `token ${token}` || auth === `Bearer ${token}`;
      const answer = (r: ApiResponse) => {
        requests.push({
          method: req.method ?? "",
          path,
          query: url.search,
          body,
          status: r.status,
          authorized,
        });
        res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
        res.end(r.raw ?? (r.body === undefined ? "" : JSON.stringify(r.body)));
      };
      const fault = faults.find(
        (f) =>
          f.left > 0 &&
          (!f.method || f.method === req.method) &&
          (typeof f.path === "string" ? f.path === path : f.path.test(path)),
      );
      const handle = () => {
        const hit = router.match(req.method ?? "", path);
        if (!hit) return { status: 404, body: { message: "Not Found" } };
        const headers = req.headers;
        return hit.handler(
          {
            method: req.method ?? "",
            path,
            params: hit.params,
            query: url.searchParams,
            body,
            headers,
          },
          state,
        );
      };
      if (fault?.drop) {
        fault.left--;
        if (fault.drop === "after" && authorized) handle();
        requests.push({
          method: req.method ?? "",
          path,
          query: url.search,
          body,
          status: 0,
          authorized,
        });
        return req.socket.destroy();
      }
      if (fault) {
        fault.left--;
        const message = fault.echoAuthorization
          ? `rejected ${auth}`
          : (fault.body?.message ?? "fault injected");
        return answer({
          status: fault.status,
          body: { ...fault.body, message },
          ...(fault.headers ? { headers: fault.headers } : {}),
        });
      }
      if (!authorized) return answer({ status: 401, body: { message: "Bad credentials" } });
      answer(handle());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registerHandlers(router, url);
  return {
    url,
    state,
    router,
    requests,
    inject: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
