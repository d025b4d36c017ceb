/**
 * The GitHub release of a tag, idempotently: found by its tag (a draft is found in the list,
 * since GitHub answers drafts by tag with 404), created as a draft when missing, the chart
 * archive uploaded unless an asset of that name has the same digest (an asset left half
 * uploaded by a failed run is deleted and uploaded again; one with other bytes is refused,
 * never replaced), then published. "Already exists" (422) is a handled case: the rerun or
 * the retry that meets it looks again instead of duplicating.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CheckFailedError } from "../../errors.js";
import type { Redactor } from "../../exec/redact.js";
import { call, GitHubError, type OctokitClient } from "../../github/client.js";

/** A release as this module needs it. */
export interface FoundRelease {
  id: number;
  draft: boolean;
  htmlUrl: string;
  uploadUrl: string;
}

/** An asset as this module needs it. */
export interface FoundAsset {
  id: number;
  name: string;
  state: string;
  size: number;
  digest?: string | null;
  browserDownloadUrl: string;
}

/** Which release, where. */
export interface ReleaseTarget {
  gh: OctokitClient;
  repository: string;
  redactor: Redactor;
}

const parts = (t: ReleaseTarget) => {
  const [owner = "", repo = ""] = t.repository.split("/");
  return { owner, repo };
};

type ApiRelease = {
  id: number;
  draft: boolean;
  html_url: string;
  upload_url: string;
  tag_name: string;
};

const found = (r: ApiRelease): FoundRelease => ({
  id: r.id,
  draft: r.draft,
  htmlUrl: r.html_url,
  uploadUrl: r.upload_url,
});

/** The release of `tag` (published or draft), or undefined. */
export async function findRelease(
  t: ReleaseTarget,
  tag: string,
): Promise<FoundRelease | undefined> {
  const byTag = await call(`read the release ${tag}`, t.repository, t.redactor, () =>
    t.gh.rest.repos.getReleaseByTag({ ...parts(t), tag }).then(
      (r) => r.data as ApiRelease,
      (err: { status?: number }) => (err.status === 404 ? undefined : Promise.reject(err)),
    ),
  );
  if (byTag) return found(byTag);
  const list = await call("list releases", t.repository, t.redactor, () =>
    t.gh.rest.repos.listReleases({ ...parts(t), per_page: 100 }),
  );
  const draft = (list.data as ApiRelease[]).find((r) => r.tag_name === tag);
  return draft ? found(draft) : undefined;
}

/** Creates the release of `tag` as a draft; one created meanwhile (422) is found instead. */
export async function createDraft(
  t: ReleaseTarget,
  o: { tag: string; name: string; body: string; prerelease: boolean },
): Promise<FoundRelease> {
  try {
    const r = await call("create the release", t.repository, t.redactor, () =>
      t.gh.rest.repos.createRelease({
        ...parts(t),
        tag_name: o.tag,
        name: o.name,
        body: o.body,
        draft: true,
        prerelease: o.prerelease,
      }),
    );
    return found(r.data as ApiRelease);
  } catch (err) {
    if (!(err instanceof GitHubError) || err.status !== 422) throw err;
    const again = await findRelease(t, o.tag);
    if (!again) throw err;
    return again;
  }
}

/** Publishes a draft release. */
export async function publishRelease(
  t: ReleaseTarget,
  id: number,
  tag: string,
): Promise<FoundRelease> {
  const r = await call(`publish the release ${tag}`, t.repository, t.redactor, () =>
    t.gh.rest.repos.updateRelease({ ...parts(t), release_id: id, draft: false }),
  );
  return found(r.data as ApiRelease);
}

async function assets(t: ReleaseTarget, releaseId: number): Promise<FoundAsset[]> {
  const r = await call("list the release's assets", t.repository, t.redactor, () =>
    t.gh.rest.repos.listReleaseAssets({ ...parts(t), release_id: releaseId, per_page: 100 }),
  );
  return r.data.map((a) => ({
    id: a.id,
    name: a.name,
    state: a.state,
    size: a.size,
    digest: (a as { digest?: string | null }).digest ?? null,
    browserDownloadUrl: a.browser_download_url,
  }));
}

/** The sha256 of an asset: the digest GitHub reports, else its downloaded bytes. */
async function assetSha256(t: ReleaseTarget, a: FoundAsset): Promise<string> {
  if (a.digest?.startsWith("sha256:")) return a.digest.slice("sha256:".length);
  const r = await call(`download the asset ${a.name}`, t.repository, t.redactor, () =>
    t.gh.request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
      ...parts(t),
      asset_id: a.id,
      headers: { accept: "application/octet-stream" },
    }),
  );
  return createHash("sha256")
    .update(Buffer.from(r.data as unknown as ArrayBuffer))
    .digest("hex");
}

/**
 * The uploaded asset of `file`'s name when it holds `sha256`; undefined when there is none
 * (a half-uploaded one is deleted); CheckFailedError when it holds other bytes.
 */
export async function existingAsset(
  t: ReleaseTarget,
  releaseId: number,
  file: string,
  sha256: string,
): Promise<FoundAsset | undefined> {
  const name = path.basename(file);
  const a = (await assets(t, releaseId)).find((x) => x.name === name);
  if (!a) return undefined;
  if (a.state !== "uploaded") {
    await call(`delete the unfinished asset ${name}`, t.repository, t.redactor, () =>
      t.gh.rest.repos.deleteReleaseAsset({ ...parts(t), asset_id: a.id }),
    );
    return undefined;
  }
  const published = await assetSha256(t, a);
  if (published !== sha256) {
    throw new CheckFailedError(
      `failed to attach ${name}: the release already has an asset ${name} with other bytes (sha256 ${published}, this package ${sha256}); a published asset is never replaced: find out why the package differs (it is reproducible from the tag), or release another version`,
    );
  }
  return a;
}

/** Upload attempts of one run (each after looking at what the last one left). */
const UPLOAD_ATTEMPTS = 3;

/**
 * Uploads `file` to the release. octokit does not retry the upload itself: after a failed
 * upload GitHub may hold a half-made asset of that name (or the whole one, when only the
 * answer was lost), so a blind retry meets 422. Each failure is followed by a look at the
 * assets: the same bytes are kept, a half-made one is deleted and the upload tried again.
 */
export async function uploadAsset(
  t: ReleaseTarget,
  release: FoundRelease,
  file: string,
  sha256: string,
): Promise<FoundAsset> {
  const name = path.basename(file);
  const data = await readFile(file);
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await call(`upload ${name}`, t.repository, t.redactor, () =>
        t.gh.rest.repos.uploadReleaseAsset({
          ...parts(t),
          release_id: release.id,
          url: release.uploadUrl,
          name,
          data: data as unknown as string,
          headers: { "content-type": "application/gzip", "content-length": data.length },
          request: { retries: 0 },
        }),
      );
      return {
        id: r.data.id,
        name: r.data.name,
        state: r.data.state,
        size: r.data.size,
        browserDownloadUrl: r.data.browser_download_url,
      };
    } catch (err) {
      const status = err instanceof GitHubError ? (err.status ?? 500) : 0;
      if (status !== 422 && status < 500) throw err;
      const there = await existingAsset(t, release.id, file, sha256);
      if (there) return there;
      if (attempt >= UPLOAD_ATTEMPTS) throw err;
    }
  }
}
