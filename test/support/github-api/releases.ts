/**
 * The release calls of the fake GitHub API (registered beside handlers.ts by
 * `registerReleaseHandlers(api.router, api.url, store)`): releases by tag (drafts answer 404
 * there, as on GitHub) and listed, created (422 `already_exists` for a tag that has one),
 * edited; assets listed, uploaded through the release's `upload_url` (GitHub Enterprise's
 * `/api/uploads` form; 422 `already_exists` for a taken name), read as JSON or bytes,
 * renamed, deleted; and compare. Objects have the shapes GitHub answers with
 * (`release-fixtures.test.ts` replays @octokit/fixtures against them). Upload faults as
 * GitHub shows them: a 500 that leaves a half-made ("starter") asset behind.
 */
import { createHash } from "node:crypto";
import type { ApiRequest, ApiResponse, Router } from "./router.js";

/** An asset. */
export interface FakeAsset {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  state: "uploaded" | "starter";
  bytes: Buffer;
}

/** A release. */
export interface FakeRelease {
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  target: string;
  assets: FakeAsset[];
}

/** A commit as compare answers it. */
export interface FakeCompareCommit {
  sha: string;
  message: string;
  author: string;
  parents: number;
}

/** What the release routes hold. */
export class ReleaseStore {
  nextReleaseId = 1000;
  nextAssetId = 1000;
  /** `owner/name` → releases, oldest first. */
  readonly releases = new Map<string, FakeRelease[]>();
  /** `owner/name base...head` → commits, oldest first. */
  readonly compares = new Map<string, FakeCompareCommit[]>();
  /**
   * Upload faults, consumed in order: the status answered, and what stays behind: a
   * half-made ("starter") asset, the whole asset (another upload won a race: with 422 this is
   * GitHub's "already_exists"), or nothing.
   */
  readonly uploadFaults: { status: number; leaves: "starter" | "uploaded" | "nothing" }[] = [];

  /** The releases of `repo` (created empty). */
  of(repo: string): FakeRelease[] {
    const list = this.releases.get(repo) ?? [];
    this.releases.set(repo, list);
    return list;
  }

  /** Adds a release. */
  add(repo: string, r: Partial<FakeRelease> & { tag: string }): FakeRelease {
    const release: FakeRelease = {
      id: this.nextReleaseId++,
      name: null,
      body: null,
      draft: false,
      prerelease: false,
      target: "main",
      assets: [],
      ...r,
    };
    this.of(repo).push(release);
    return release;
  }
}

const TIME = "2026-12-01T12:00:00Z";
const json = {
  "content-type": "application/json; charset=utf-8",
  "x-github-media-type": "github.v3; format=json",
};

/** The rate-limit headers every REST answer carries (octokit's throttling reads them). */
function apiHeaders(): Record<string, string> {
  return {
    ...json,
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-used": "1",
    "x-ratelimit-resource": "core",
    "x-github-request-id": "0000:00000:0000000:0000000:00000000",
  };
}

function user(base: string) {
  const u = `${base}/users/shoppe-release`;
  return {
    login: "shoppe-release",
    id: 1000,
    node_id: "MDQ6VXNlcjEwMDA=",
    avatar_url: `${base}/avatars/u/1000?v=4`,
    gravatar_id: "",
    url: u,
    html_url: `${base}/shoppe-release`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: "User",
    site_admin: false,
  };
}

/** Registers the release routes on `router`; `base` is the fake's URL. */
export function registerReleaseHandlers(router: Router, base: string, store: ReleaseStore): void {
  const repoOf = (req: ApiRequest) => `${req.params.owner}/${req.params.repo}`;
  const api = (req: ApiRequest) => `${base}/repos/${repoOf(req)}`;
  const find = (req: ApiRequest, id: string | undefined) =>
    store.of(repoOf(req)).find((r) => String(r.id) === id);
  const findAsset = (req: ApiRequest) => {
    for (const r of store.of(repoOf(req)))
      for (const a of r.assets) if (String(a.id) === req.params.id) return { release: r, asset: a };
    return undefined;
  };
  const notFound: ApiResponse = {
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
    headers: apiHeaders(),
  };
  const assetBody = (req: ApiRequest, r: FakeRelease, a: FakeAsset) => ({
    url: `${api(req)}/releases/assets/${a.id}`,
    id: a.id,
    node_id: `RA_${a.id}`,
    name: a.name,
    label: a.label,
    uploader: user(base),
    content_type: a.contentType,
    state: a.state,
    size: a.bytes.length,
    digest:
      a.state === "uploaded"
        ? `sha256:${createHash("sha256").update(a.bytes).digest("hex")}`
        : null,
    download_count: 0,
    created_at: TIME,
    updated_at: TIME,
    browser_download_url: `${base}/${repoOf(req)}/releases/download/${r.tag}/${a.name}`,
  });
  const releaseBody = (req: ApiRequest, r: FakeRelease) => ({
    url: `${api(req)}/releases/${r.id}`,
    assets_url: `${api(req)}/releases/${r.id}/assets`,
    upload_url: `${base}/api/uploads/repos/${repoOf(req)}/releases/${r.id}/assets{?name,label}`,
    html_url: `${base}/${repoOf(req)}/releases/tag/${r.tag}`,
    id: r.id,
    author: user(base),
    node_id: `RE_${r.id}`,
    tag_name: r.tag,
    target_commitish: r.target,
    name: r.name,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: TIME,
    published_at: r.draft ? null : TIME,
    assets: r.assets.map((a) => assetBody(req, r, a)),
    tarball_url: `${api(req)}/tarball/${r.tag}`,
    zipball_url: `${api(req)}/zipball/${r.tag}`,
    body: r.body,
  });
  const ok = (status: number, body: unknown): ApiResponse => ({
    status,
    body,
    headers: apiHeaders(),
  });
  const invalid = (resource: string, field: string): ApiResponse => ({
    status: 422,
    body: {
      message: "Validation Failed",
      request_id: "0000:00000:0000000:0000000:00000000",
      documentation_url: "https://docs.github.com/rest",
      errors: [{ resource, code: "already_exists", field }],
    },
    headers: json,
  });

  router.on("GET", "/repos/:owner/:repo/releases/tags/:tag", (req) => {
    const r = store.of(repoOf(req)).find((x) => x.tag === req.params.tag && !x.draft);
    return r ? ok(200, releaseBody(req, r)) : notFound;
  });
  router.on("GET", "/repos/:owner/:repo/releases", (req) =>
    ok(
      200,
      [...store.of(repoOf(req))].reverse().map((r) => releaseBody(req, r)),
    ),
  );
  router.on("POST", "/repos/:owner/:repo/releases", (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const tag = String(b.tag_name ?? "");
    if (store.of(repoOf(req)).some((r) => r.tag === tag)) return invalid("Release", "tag_name");
    const r = store.add(repoOf(req), {
      tag,
      name: typeof b.name === "string" ? b.name : null,
      body: typeof b.body === "string" ? b.body : null,
      draft: b.draft === true,
      prerelease: b.prerelease === true,
      target: typeof b.target_commitish === "string" ? b.target_commitish : "main",
    });
    return ok(201, releaseBody(req, r));
  });
  router.on("PATCH", "/repos/:owner/:repo/releases/:id", (req) => {
    const r = find(req, req.params.id);
    if (!r) return notFound;
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.draft === "boolean") r.draft = b.draft;
    if (typeof b.name === "string") r.name = b.name;
    if (typeof b.body === "string") r.body = b.body;
    return ok(200, releaseBody(req, r));
  });
  router.on("GET", "/repos/:owner/:repo/releases/:id/assets", (req) => {
    const r = find(req, req.params.id);
    return r
      ? ok(
          200,
          r.assets.map((a) => assetBody(req, r, a)),
        )
      : notFound;
  });
  router.on("POST", "/api/uploads/repos/:owner/:repo/releases/:id/assets", (req) => {
    const r = find(req, req.params.id);
    if (!r) return notFound;
    const name = req.query.get("name") ?? "";
    if (r.assets.some((a) => a.name === name)) return invalid("ReleaseAsset", "name");
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body ?? ""));
    const fault = store.uploadFaults.shift();
    const asset: FakeAsset = {
      id: store.nextAssetId++,
      name,
      label: req.query.get("label"),
      contentType: String(req.headers?.["content-type"] ?? "application/octet-stream"),
      state: fault?.leaves === "starter" ? "starter" : "uploaded",
      bytes,
    };
    if (fault?.leaves !== "nothing") r.assets.push(asset);
    if (fault?.status === 422) return invalid("ReleaseAsset", "name");
    if (fault) return { status: fault.status, body: { message: "Server Error" }, headers: json };
    return { status: 201, body: assetBody(req, r, asset), headers: json };
  });
  router.on("GET", "/repos/:owner/:repo/releases/assets/:id", (req) => {
    const hit = findAsset(req);
    if (!hit) return notFound;
    if (String(req.headers?.accept ?? "").includes("application/octet-stream")) {
      return {
        status: 200,
        raw: hit.asset.bytes,
        headers: { "content-type": "application/octet-stream" },
      };
    }
    return ok(200, assetBody(req, hit.release, hit.asset));
  });
  router.on("PATCH", "/repos/:owner/:repo/releases/assets/:id", (req) => {
    const hit = findAsset(req);
    if (!hit) return notFound;
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.name === "string") hit.asset.name = b.name;
    if (typeof b.label === "string") hit.asset.label = b.label;
    return ok(200, assetBody(req, hit.release, hit.asset));
  });
  router.on("DELETE", "/repos/:owner/:repo/releases/assets/:id", (req) => {
    const hit = findAsset(req);
    if (!hit) return notFound;
    hit.release.assets = hit.release.assets.filter((a) => a !== hit.asset);
    return { status: 204, headers: apiHeaders() };
  });
  router.on("GET", "/repos/:owner/:repo/compare/:basehead", (req) => {
    const commits = store.compares.get(`${repoOf(req)} ${req.params.basehead}`);
    if (!commits) return notFound;
    return ok(200, {
      status: "ahead",
      ahead_by: commits.length,
      behind_by: 0,
      total_commits: commits.length,
      commits: commits.map((c) => ({
        sha: c.sha,
        commit: { message: c.message, author: { name: c.author, email: "", date: TIME } },
        author: { login: c.author },
        parents: Array.from({ length: c.parents }, (_, i) => ({
          sha: `${c.sha.slice(0, 39)}${i}`,
        })),
      })),
    });
  });
}
