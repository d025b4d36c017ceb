/**
 * The fake GitHub API answers the release calls as GitHub does: the exchanges @octokit/fixtures
 * recorded against the real API (scenarios `release-assets` and `release-assets-conflict`)
 * are replayed against it, with the same requests, and each answer must have the recorded
 * status, the headers octokit reads (content type, rate-limit headers) and the recorded JSON
 * shape: every field GitHub sent, with the same type, and the same values where they are not
 * ids of another server (URLs compared after mapping GitHub's hosts to the fake's).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/tools.js";
import { ReleaseStore, registerReleaseHandlers } from "../support/github-api/releases.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api/server.js";

interface Exchange {
  scope: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  reqheaders: Record<string, unknown>;
  headers: Record<string, unknown>;
}

const TOKEN = "0000000000000000000000000000000000000001";

function scenario(name: string): Exchange[] {
  const file = path.join(
    ROOT,
    "node_modules/@octokit/fixtures/scenarios/api.github.com",
    name,
    "normalized-fixture.json",
  );
  return JSON.parse(readFileSync(file, "utf8")) as Exchange[];
}

/** GitHub's hosts as the fake serves them. */
function mapUrl(text: string, base: string): string {
  return text
    .replaceAll("https://uploads.github.com", `${base}/api/uploads`)
    .replaceAll("https://api.github.com", base)
    .replaceAll("https://github.com", base);
}

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Where the fake's answer lacks a field of the recorded one, or gives it another type. */
function shapeProblems(recorded: unknown, fake: unknown, at = "$"): string[] {
  if (kind(recorded) !== kind(fake)) return [`${at}: ${kind(fake)}, GitHub sent ${kind(recorded)}`];
  if (Array.isArray(recorded) && Array.isArray(fake)) {
    if (recorded.length !== fake.length)
      return [`${at}: ${fake.length} items, GitHub sent ${recorded.length}`];
    return recorded.flatMap((r, i) => shapeProblems(r, fake[i], `${at}[${i}]`));
  }
  if (kind(recorded) !== "object") return [];
  const f = fake as Record<string, unknown>;
  return Object.entries(recorded as Record<string, unknown>).flatMap(([k, v]) =>
    k in f ? shapeProblems(v, f[k], `${at}.${k}`) : [`${at}.${k}: missing`],
  );
}

/** Fields whose values must match (after mapping hosts). */
const COMPARED = [
  "id",
  "name",
  "label",
  "state",
  "size",
  "content_type",
  "tag_name",
  "draft",
  "prerelease",
  "body",
  "url",
  "assets_url",
  "upload_url",
  "html_url",
  "browser_download_url",
  "tarball_url",
  "zipball_url",
  "message",
  "errors",
];

function valueProblems(recorded: unknown, fake: unknown, base: string, at = "$"): string[] {
  if (Array.isArray(recorded) && Array.isArray(fake))
    return recorded.flatMap((r, i) => valueProblems(r, fake[i], base, `${at}[${i}]`));
  if (kind(recorded) !== "object" || kind(fake) !== "object") return [];
  const [r, f] = [recorded as Record<string, unknown>, fake as Record<string, unknown>];
  return COMPARED.filter((k) => k in r).flatMap((k) => {
    const want = JSON.parse(mapUrl(JSON.stringify(r[k]), base));
    // The fake names its own user and its own ids; those are not GitHub's to compare.
    return JSON.stringify(want) === JSON.stringify(f[k])
      ? []
      : [`${at}.${k}: ${JSON.stringify(f[k])}, GitHub sent ${JSON.stringify(want)}`];
  });
}

/** The headers octokit reads from an answer: media type, rate limits, pagination. */
function headerProblems(recorded: Record<string, unknown>, got: Headers): string[] {
  const out: string[] = [];
  const type = (v: string | null | undefined) => v?.split(";")[0]?.trim();
  if (
    recorded["content-type"] &&
    type(String(recorded["content-type"])) !== type(got.get("content-type"))
  )
    out.push(`content-type ${got.get("content-type")}, GitHub sent ${recorded["content-type"]}`);
  for (const h of [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
  ]) {
    if (h in recorded && !got.has(h)) out.push(`${h} missing`);
    if (h in recorded && h !== "x-ratelimit-resource" && !/^\d+$/.test(got.get(h) ?? ""))
      out.push(`${h} is not a number`);
  }
  for (const h of ["link", "retry-after"])
    if (h in recorded !== got.has(h)) out.push(`${h}: presence differs`);
  return out;
}

async function replay(api: GitHubApi, ex: Exchange) {
  const url = mapUrl(`${ex.scope.replace(":443", "")}${ex.path}`, api.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(ex.reqheaders))
    if (k !== "host" && k !== "content-length") headers[k] = String(v);
  const body =
    ex.body === "" || ex.body === undefined
      ? undefined
      : typeof ex.body === "string"
        ? ex.body
        : JSON.stringify(ex.body);
  if (body && !headers["content-type"]) headers["content-type"] = "application/json; charset=utf-8";
  const res = await fetch(url, {
    method: ex.method.toUpperCase(),
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : "" };
}

let api: GitHubApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Starts the fake with the release the scenario's unrecorded setup created. */
async function fakeFor(repo: string) {
  api = await startGitHubApi(TOKEN);
  const store = new ReleaseStore();
  registerReleaseHandlers(api.router, api.url, store);
  store.add(`octokit-fixture-org/${repo}`, {
    tag: "v1.0.0",
    name: "Version 1.0.0",
    body: "Initial release",
    target: "0000000000000000000000000000000000000001",
  });
  return { api, store };
}

async function check(api: GitHubApi, ex: Exchange): Promise<string[]> {
  const got = await replay(api, ex);
  const where = `${ex.method.toUpperCase()} ${ex.path}`;
  if (got.status !== ex.status) return [`${where}: status ${got.status}, GitHub sent ${ex.status}`];
  return [
    ...headerProblems(ex.headers, got.headers),
    ...shapeProblems(ex.response, got.json),
    ...valueProblems(ex.response, got.json, api.url),
  ].map((p) => `${where}: ${p}`);
}

describe("the fake GitHub API against @octokit/fixtures", () => {
  it("answers the release-assets scenario as GitHub did (get by tag, upload, list, get, rename, delete)", async () => {
    const { api } = await fakeFor("release-assets");
    const exchanges = scenario("release-assets");
    expect(exchanges.map((e) => `${e.method} ${e.status}`)).toEqual([
      "get 200",
      "post 201",
      "get 200",
      "get 200",
      "patch 200",
      "delete 204",
    ]);
    const problems: string[] = [];
    for (const ex of exchanges) problems.push(...(await check(api, ex)));
    expect(problems).toEqual([]);
  });

  it("answers the release-assets-conflict scenario as GitHub did (422 already_exists, delete, upload again)", async () => {
    const { api } = await fakeFor("release-assets-conflict");
    const exchanges = scenario("release-assets-conflict");
    expect(exchanges.map((e) => `${e.method} ${e.status}`)).toEqual([
      "get 200",
      "post 422",
      "get 200",
      "delete 204",
      "post 201",
    ]);
    const problems: string[] = [];
    for (const [i, ex] of exchanges.entries()) {
      // The scenario uploads once before its recording starts (X-Octokit-Fixture-Ignore).
      if (i === 1) await replay(api, { ...ex, status: 201 });
      problems.push(...(await check(api, ex)));
    }
    expect(problems).toEqual([]);
  });

  it("notices a wrong answer: a missing field, a wrong type, a wrong status", () => {
    expect(shapeProblems({ a: 1, b: { c: "x" } }, { a: "1", b: {} })).toEqual([
      "$.a: string, GitHub sent number",
      "$.b.c: missing",
    ]);
    expect(
      headerProblems(
        { "content-type": "application/json" },
        new Headers({ "content-type": "text/plain" }),
      ),
    ).toHaveLength(1);
  });
});
