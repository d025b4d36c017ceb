/**
 * The GitHub REST client of every command that talks to GitHub (release publishing, release
 * notes' upstream highlights, bump's pull requests): octokit (loaded only here), with its
 * retry plugin (5xx and dropped connections, with backoff) and its throttling plugin (primary
 * and secondary rate limits, waiting as `retry-after` says) configured, and every message it
 * logs or throws redacted. The token comes from the environment only and travels in the
 * Authorization header only. `timeScale` scales every wait (1 = seconds as GitHub means them;
 * tests pass a small value).
 */
import { ShoppeError, UsageError } from "../errors.js";
import type { Redactor } from "../exec/redact.js";
import type { Logger } from "../log.js";
import { isLoopback } from "../oci/reference.js";

/** The GitHub token from the environment (GITHUB_TOKEN, else SHOPPE_GITHUB_TOKEN), if any. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.SHOPPE_GITHUB_TOKEN || undefined;
}

/** The API URL (a flag's or setting's value), refused unless https (or http on this machine): the token travels to it. */
export function githubApi(api: string): string {
  const url = URL.canParse(api) ? new URL(api) : undefined;
  if (url?.protocol === "https:" || (url?.protocol === "http:" && isLoopback(url.host))) return api;
  throw new UsageError(
    `failed to use the GitHub API ${JSON.stringify(api)}: ${url ? "not https, and the token would travel in clear text" : "not a URL"}; set --github-api (SHOPPE_GITHUB_API, GITHUB_API_URL) to an https:// URL`,
  );
}

/** Where and how to reach GitHub. */
export interface GitHubAccess {
  /** REST API base URL (https://api.github.com, or a GitHub Enterprise /api/v3). */
  api: string;
  /** A token; reading public data works without one. */
  token?: string;
  /** Retries of a request that failed with 5xx or a dropped connection. */
  retries?: number;
  /** Rate-limit waits retried at most this often per request. */
  rateLimitRetries?: number;
  /** Multiplies every wait: 1 in production. */
  timeScale?: number;
}

/** An octokit instance. */
export type OctokitClient = InstanceType<typeof import("octokit")["Octokit"]>;

/** A GitHub API call that failed, with its HTTP status and GitHub's validation codes. */
export class GitHubError extends ShoppeError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly codes: string[] = [],
  ) {
    super(message);
  }
}

interface ApiFailure {
  status?: number;
  message?: string;
  response?: { data?: { message?: unknown; errors?: { code?: unknown }[] } };
}

let sequence = 0;

/** Opens a client; every message is redacted with `redactor` (which learns the token). */
export async function openGitHub(
  access: GitHubAccess,
  deps: { logger: Logger; redactor: Redactor },
): Promise<OctokitClient> {
  if (access.token) deps.redactor.add(access.token);
  const say = (m: unknown) => deps.redactor.redact(String(m));
  const { Octokit } = await import("octokit");
  const scale = access.timeScale ?? 1;
  const limit = access.rateLimitRetries ?? 3;
  return new Octokit({
    ...(access.token ? { auth: access.token } : {}),
    baseUrl: access.api.replace(/\/+$/, ""),
    userAgent: "coffea-shoppe",
    log: {
      debug: (m: string) => deps.logger.debug(say(m)),
      info: (m: string) => deps.logger.debug(say(m)),
      warn: (m: string) => deps.logger.warn(say(m)),
      error: (m: string) => deps.logger.warn(say(m)),
    },
    retry: { retries: access.retries ?? 3, retryAfterBaseValue: 1000 * scale },
    throttle: {
      // A distinct id per client: the plugin's write spacing is kept per id, so one run
      // never waits for another's.
      id: `shoppe-${process.pid}-${++sequence}`,
      retryAfterBaseValue: 1000 * scale,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, n: number) => {
        deps.logger.warn(
          `GitHub rate limit on ${o.method} ${o.url}: waiting ${after} s (retry ${n + 1} of ${limit})`,
        );
        return n < limit;
      },
      onSecondaryRateLimit: (
        after: number,
        o: { method: string; url: string },
        _k: unknown,
        n: number,
      ) => {
        deps.logger.warn(
          `GitHub secondary rate limit on ${o.method} ${o.url}: waiting ${after} s (retry ${n + 1} of ${limit})`,
        );
        return n < limit;
      },
    },
  });
}

/** Runs one API call; a failure becomes a redacted GitHubError "failed to <what> on <repo>". */
export async function call<T>(
  what: string,
  repository: string,
  redactor: Redactor,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw apiFailure(what, repository, err as ApiFailure, redactor);
  }
}

/** "failed to <what> on <repo>: HTTP <status>: <GitHub's message>", redacted. */
export function apiFailure(
  what: string,
  repository: string,
  err: ApiFailure,
  redactor: Redactor,
): GitHubError {
  if (err instanceof GitHubError) return err;
  const said = err.response?.data?.message;
  const why = typeof said === "string" ? said : (err.message ?? String(err));
  const status = err.status ? `HTTP ${err.status}: ` : "";
  const codes = (err.response?.data?.errors ?? []).flatMap((e) =>
    typeof e?.code === "string" ? [e.code] : [],
  );
  const hint =
    err.status === 401
      ? " (check GITHUB_TOKEN)"
      : err.status === 403 || err.status === 404
        ? " (check the token's access to the repository)"
        : err.status && err.status >= 500
          ? " (GitHub failed; run the command again: it resumes where it stopped)"
          : "";
  return new GitHubError(
    redactor.redact(`failed to ${what} on ${repository}: ${status}${why}${hint}`),
    err.status,
    codes,
  );
}
