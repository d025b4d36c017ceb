/**
 * The routes of the fake GitHub REST API: a pattern per route (`/repos/:owner/:repo/pulls`,
 * a last parameter ending in `*` takes the rest of the path, for git refs such as
 * `heads/shoppe/bump-x`), matched against the decoded path. Handlers are plain functions of
 * the request and the repository state, so a later suite registers its own routes (releases,
 * assets) beside these.
 */
import type { GitHubState } from "./state.js";

/** A request as handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON; for another content type (an asset upload), the bytes. */
  body: unknown;
  /** The request's headers (content-type, accept, content-length). */
  headers?: Record<string, string | string[] | undefined>;
}

/** What a handler answers. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes sent as they are instead of a JSON body (an asset download). */
  raw?: Buffer;
}

/** A route's work. */
export type Handler = (req: ApiRequest, state: GitHubState) => ApiResponse;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** Routes by method and path pattern. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route; later routes never shadow earlier ones. */
  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** The handler and parameters for a request, or undefined (404). */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string> } | undefined {
    const segments = path.split("/").filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const params = matchParts(r.parts, segments);
      if (params) return { handler: r.handler, params };
    }
    return undefined;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p.startsWith(":") && p.endsWith("*")) {
      if (i >= segments.length) return undefined;
      params[p.slice(1, -1)] = segments.slice(i).join("/");
      return params;
    }
    const s = segments[i];
    if (s === undefined) return undefined;
    if (p.startsWith(":")) params[p.slice(1)] = s;
    else if (p !== s) return undefined;
  }
  return segments.length === parts.length ? params : undefined;
}
