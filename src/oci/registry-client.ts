/**
 * A client of the OCI distribution API over the shared HttpClient: tag lists (paginated),
 * manifests by tag or digest (HEAD first: Docker Hub does not count HEADs against its pull
 * limit), and blobs. A 401 is answered as the registry asks: Basic with the configured
 * credential, or Bearer through its token server, anonymously unless a credential is
 * configured; tokens are kept per registry and scope for the rest of the run.
 */
import { createHash } from "node:crypto";
import { FetchError } from "../net/fetch-error.js";
import { statusError } from "../net/http-cache.js";
import type { HttpClient, HttpResponse } from "../net/http-client.js";
import { type Challenge, parseChallenge } from "./challenge.js";
import type { Credential, CredentialStore } from "./credentials.js";
import { IMAGE_ACCEPT } from "./media-types.js";
import { apiBase, formatRepository, type OciRepository } from "./reference.js";

/** A manifest's identity as the registry reports it. */
export interface ManifestHead {
  digest: string;
  mediaType: string | undefined;
}

/** A manifest with its bytes. */
export interface Manifest extends ManifestHead {
  body: Buffer;
  json: Record<string, unknown>;
}

/** Talks to registries on behalf of one command run. */
export class RegistryClient {
  /** Authorization header value by `registry scope`, shared by concurrent requests. */
  private readonly tokens = new Map<string, Promise<string | undefined>>();
  /** The last challenge of each registry, without its scope. */
  private readonly challenges = new Map<string, Challenge>();

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: CredentialStore,
  ) {}

  /** Every tag of `repo` (following `Link` pagination). */
  async tags(repo: OciRepository): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = `${apiBase(repo.registry)}/${repo.path}/tags/list?n=1000`;
    for (let page = 0; next && page < 1000; page++) {
      const res = await this.send(repo, next, "GET", {});
      if (res.status !== 200) throw this.failure(repo, next, res);
      const tags = (parseJson(res) as { tags?: unknown } | undefined)?.tags;
      if (Array.isArray(tags)) out.push(...tags.filter((t): t is string => typeof t === "string"));
      next = nextPage(res, apiBase(repo.registry), next);
    }
    return out;
  }

  /** The digest and media type of `reference` (a tag or digest), by HEAD. */
  async head(repo: OciRepository, reference: string, accept = IMAGE_ACCEPT): Promise<ManifestHead> {
    const url = `${apiBase(repo.registry)}/${repo.path}/manifests/${reference}`;
    const res = await this.send(repo, url, "HEAD", { accept });
    if (res.status !== 200) throw this.failure(repo, url, res);
    const digest = res.headers.get("docker-content-digest");
    const mediaType = res.headers.get("content-type")?.split(";")[0]?.trim();
    // A registry that leaves the digest out of a HEAD answer gives it by its bytes.
    if (!digest) return this.manifest(repo, reference, accept);
    return { digest, mediaType };
  }

  /** The manifest `reference` with its bytes; its digest is checked when asked by digest. */
  async manifest(repo: OciRepository, reference: string, accept = IMAGE_ACCEPT): Promise<Manifest> {
    const url = `${apiBase(repo.registry)}/${repo.path}/manifests/${reference}`;
    const res = await this.send(repo, url, "GET", { accept });
    if (res.status !== 200) throw this.failure(repo, url, res);
    const computed = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    if (reference.startsWith("sha256:") && reference !== computed) {
      throw new FetchError(
        url,
        "http",
        `the manifest's bytes have digest ${computed}, not ${reference}`,
      );
    }
    const json = parseJson(res);
    if (!json) throw new FetchError(url, "http", "the manifest is not JSON");
    const mediaType =
      res.headers.get("content-type")?.split(";")[0]?.trim() ??
      (typeof json.mediaType === "string" ? json.mediaType : undefined);
    return {
      digest: res.headers.get("docker-content-digest") ?? computed,
      mediaType,
      body: res.body,
      json,
    };
  }

  /** A blob's bytes, checked against its digest. */
  async blob(repo: OciRepository, digest: string): Promise<Buffer> {
    const url = `${apiBase(repo.registry)}/${repo.path}/blobs/${digest}`;
    const res = await this.send(repo, url, "GET", {});
    if (res.status !== 200) throw this.failure(repo, url, res);
    const computed = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    if (computed !== digest)
      throw new FetchError(url, "http", `the blob's bytes have digest ${computed}`);
    return res.body;
  }

  /** Sends with the authorization this registry wants, asking for it after a 401. */
  private async send(
    repo: OciRepository,
    url: string,
    method: "GET" | "HEAD",
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const scope = `repository:${repo.path}:pull`;
    const key = `${repo.registry} ${scope}`;
    // A registry that challenged once will challenge for every repository: ask its token
    // server first rather than pay a 401 round trip per repository.
    const seen = this.challenges.get(repo.registry);
    if (!this.tokens.has(key) && seen) {
      this.tokens.set(key, this.authorize(repo.registry, seen, [scope]));
    }
    const known = await this.tokens.get(key)?.catch(() => undefined);
    const first = await this.http.request(url, {
      method,
      headers: known ? { ...headers, authorization: known } : headers,
    });
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get("www-authenticate"));
    if (!challenge) return first;
    const { scope: _scope, ...general } = challenge;
    this.challenges.set(repo.registry, general);
    const pending = this.authorize(repo.registry, general, [challenge.scope ?? scope]);
    this.tokens.set(key, pending);
    const authorization = await pending;
    if (!authorization || authorization === known) return first;
    return this.http.request(url, { method, headers: { ...headers, authorization } });
  }

  /**
   * Asks once for pull access to every repository in `paths` of `registry` (one token naming
   * every scope, as the token protocol allows), so a run over many repositories pays one token
   * request instead of one each. A token server that grants fewer scopes costs nothing extra:
   * a repository left out answers 401 and gets its own token then.
   */
  async prepare(registry: string, paths: readonly string[]): Promise<void> {
    const unknown = [...new Set(paths)].filter(
      (p) => !this.tokens.has(`${registry} repository:${p}:pull`),
    );
    if (unknown.length < 2 || this.challenges.has(registry)) return;
    const ping = await this.http
      .request(`${apiBase(registry)}/`, { retries: 0 })
      .catch(() => undefined);
    const challenge =
      ping?.status === 401 ? parseChallenge(ping.headers.get("www-authenticate")) : undefined;
    if (!challenge) return;
    const { scope: _scope, ...general } = challenge;
    this.challenges.set(registry, general);
    const scopes = unknown.map((p) => `repository:${p}:pull`);
    const token = this.authorize(registry, general, scopes);
    for (const s of scopes) this.tokens.set(`${registry} ${s}`, token);
  }

  /** The Authorization value a challenge asks for, or undefined when none can be had. */
  private async authorize(
    registry: string,
    challenge: Challenge,
    scopes: readonly string[],
  ): Promise<string | undefined> {
    const credential = this.credentials.lookup(registry);
    if (challenge.scheme === "basic") return credential ? basic(credential) : undefined;
    if (!challenge.realm) return undefined;
    const realm = URL.canParse(challenge.realm) ? new URL(challenge.realm) : undefined;
    if (!realm || (realm.protocol !== "https:" && realm.protocol !== "http:")) {
      throw new FetchError(
        `${apiBase(registry)}/`,
        "invalid",
        `the registry names a token server that is no http(s) URL: "${challenge.realm}"`,
      );
    }
    if (challenge.service) realm.searchParams.set("service", challenge.service);
    for (const scope of scopes) realm.searchParams.append("scope", scope);
    const res = await this.http.request(realm.href, {
      headers: credential ? { authorization: basic(credential) } : {},
    });
    if (res.status !== 200) {
      const who = credential ? `the credentials for ${registry}` : "an anonymous request";
      throw new FetchError(
        realm.href,
        res.status === 401 || res.status === 403 ? "unauthorized" : "http",
        `the token server refused ${who} (HTTP ${res.status})`,
        { status: res.status },
      );
    }
    const body = parseJson(res) as { token?: unknown; access_token?: unknown } | undefined;
    const token = body?.token ?? body?.access_token;
    if (typeof token !== "string" || !token) {
      throw new FetchError(realm.href, "http", "the token server's answer holds no token");
    }
    return `Bearer ${token}`;
  }

  /** The FetchError for a failed answer, saying what the registry said. */
  private failure(repo: OciRepository, url: string, res: HttpResponse): FetchError {
    if (res.status === 401 && !this.credentials.lookup(repo.registry)) {
      return new FetchError(
        url,
        "unauthorized",
        `HTTP 401: ${formatRepository(repo)} needs credentials (set registry-auth: docs/updates.md)`,
        { status: 401 },
      );
    }
    const base = statusError(url, res.status);
    const code = registryErrorCode(res);
    if (!code) return base;
    return new FetchError(url, base.failure, `${base.reason}: ${code}`, { status: res.status });
  }
}

function basic(c: Credential): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

function parseJson(res: HttpResponse): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(res.body.toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The registry's error code (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN` …) from its JSON body. */
function registryErrorCode(res: HttpResponse): string | undefined {
  const errors = (parseJson(res) as { errors?: { code?: unknown }[] } | undefined)?.errors;
  const code = Array.isArray(errors) ? errors[0]?.code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * The next page of a paginated list (`Link: </v2/…?last=x&n=1000>; rel="next"`). Only on the
 * registry's own origin: every request carries the registry's token, which another host must
 * never be handed.
 */
function nextPage(res: HttpResponse, base: string, url: string): string | undefined {
  const link = res.headers.get("link");
  const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  if (!m?.[1]) return undefined;
  const origin = new URL(base).origin;
  let next: URL;
  try {
    next = new URL(m[1], origin);
  } catch {
    throw new FetchError(url, "http", `the next page's link is no URL: ${JSON.stringify(m[1])}`);
  }
  if (next.origin !== origin) {
    throw new FetchError(
      url,
      "http",
      `the next page is on another host (${next.origin}); it is not followed with this registry's token`,
    );
  }
  return next.href;
}
