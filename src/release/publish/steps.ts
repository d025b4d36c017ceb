/**
 * The publishing steps of a release, in order: push the tag (and the branch it was cut on),
 * the GitHub release as a draft, the chart archive attached, the release published, the
 * gh-pages Helm index entry, the OCI artefact. Each finds itself done on a rerun, and none
 * replaces anything published with other bytes.
 */
import path from "node:path";
import type { Context } from "../../context.js";
import { CheckFailedError, ShoppeError } from "../../errors.js";
import type { OctokitClient } from "../../github/client.js";
import type { Git } from "../../tools/git.js";
import type { Helm } from "../../tools/helm.js";
import type { PackagedChart } from "../cut/package.js";
import type { ReleaseStep } from "../cut/steps.js";
import type { ReleaseTargets } from "../targets.js";
import {
  createDraft,
  existingAsset,
  type FoundAsset,
  type FoundRelease,
  findRelease,
  publishRelease,
  type ReleaseTarget,
  uploadAsset,
} from "./github-release.js";
import { addToIndex, indexedAlready, type PagesTarget } from "./helm-index.js";
import { pushChart, pushedAlready } from "./oci.js";

/** What the publishing steps work with. */
export interface PublishJob {
  ctx: Context;
  git: Git;
  /** Absent in a dry run without a token. */
  gh: OctokitClient | undefined;
  /** Opened when a step needs it (a dry run needs no helm). */
  helm: () => Helm;
  targets: ReleaseTargets;
  tag: string;
  version: string;
  chartName: string;
  title: string;
  notes: string;
  prerelease: boolean;
  workDir: string;
  /** The packaged chart (known once the package step ran or found it). */
  chart(): PackagedChart | undefined;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new ShoppeError(`failed to publish: ${what} is not known (an earlier step did not run)`);
  return value;
}

/** The push step: the tag, and the branch HEAD is on. */
function pushStep(j: PublishJob): ReleaseStep {
  const { git, targets, tag } = j;
  return {
    name: "push the tag",
    describe: () => `git push ${targets.remote} ${tag} (and the release branch)`,
    checkInDryRun: false,
    done: async () => {
      const local = await git.run(["rev-parse", `refs/tags/${tag}`]).then((s) => s.trim());
      const remote = (await git.lsRemote(targets.remote, [`refs/tags/${tag}`])).get(
        `refs/tags/${tag}`,
      );
      if (!remote) return undefined;
      if (remote !== local) {
        throw new CheckFailedError(
          `failed to push ${tag}: ${targets.remote} has a tag ${tag} that is not this one (${remote.slice(0, 12)}, here ${local.slice(0, 12)}); a published tag is never moved`,
        );
      }
      return `${targets.remote} has ${tag}`;
    },
    apply: async () => {
      const branch = await git.branch();
      const refs = [
        ...(branch ? [`HEAD:refs/heads/${branch}`] : []),
        `refs/tags/${tag}:refs/tags/${tag}`,
      ];
      await git.run(["push", "--quiet", "--atomic", targets.remote, ...refs]);
      return `pushed ${tag}${branch ? ` and ${branch}` : ""} to ${targets.remote}`;
    },
  };
}

/** The GitHub steps: draft release, asset, publication. */
function githubSteps(
  j: PublishJob,
  s: { release?: FoundRelease; asset?: FoundAsset },
): ReleaseStep[] {
  const t = (): ReleaseTarget => ({
    gh: need(j.gh, "the GitHub client"),
    repository: j.targets.repository,
    redactor: j.ctx.redactor,
  });
  const archive = () => need(j.chart(), "the packaged chart");
  return [
    {
      name: "create the GitHub release",
      describe: () =>
        `release ${j.tag} on ${j.targets.repository} with the notes (as a draft until its asset is attached)`,
      checkInDryRun: false,
      done: async () => {
        s.release = await findRelease(t(), j.tag);
        return s.release
          ? `${s.release.draft ? "draft" : "release"} ${s.release.htmlUrl}`
          : undefined;
      },
      apply: async () => {
        s.release = await createDraft(t(), {
          tag: j.tag,
          name: j.title,
          body: j.notes,
          prerelease: j.prerelease,
        });
        return `draft ${s.release.htmlUrl}`;
      },
    },
    {
      name: "attach the chart",
      describe: () => `upload ${j.chartName}-${j.version}.tgz to the release (same digest → kept)`,
      checkInDryRun: false,
      done: async () => {
        const c = archive();
        s.asset = await existingAsset(t(), need(s.release, "the release").id, c.file, c.sha256);
        return s.asset
          ? `${s.asset.name} (sha256 ${c.sha256}) ${s.asset.browserDownloadUrl}`
          : undefined;
      },
      apply: async () => {
        const c = archive();
        s.asset = await uploadAsset(t(), need(s.release, "the release"), c.file, c.sha256);
        return `uploaded ${s.asset.name} (${c.bytes} bytes)`;
      },
    },
    {
      name: "publish the GitHub release",
      describe: () => `publish the draft release ${j.tag}`,
      checkInDryRun: false,
      done: async () => {
        const r = need(s.release, "the release");
        return r.draft ? undefined : `${r.htmlUrl} is published`;
      },
      apply: async () => {
        s.release = await publishRelease(t(), need(s.release, "the release").id, j.tag);
        return `published ${s.release.htmlUrl}`;
      },
    },
  ];
}

/** Every publishing step, in order. */
export function publishSteps(j: PublishJob): ReleaseStep[] {
  const s: { release?: FoundRelease; asset?: FoundAsset } = {};
  const pages = (): PagesTarget => ({
    git: j.git,
    helm: j.helm(),
    remote: j.targets.remote,
    branch: j.targets.pagesBranch,
    workDir: j.workDir,
  });
  const oci = () => ({ helm: j.helm(), repository: j.targets.oci, workDir: j.workDir });
  const indexed = () => {
    const c = need(j.chart(), "the packaged chart");
    const url = s.asset?.browserDownloadUrl;
    return {
      name: j.chartName,
      version: j.version,
      archive: c.file,
      sha256: c.sha256,
      baseUrl: url
        ? path.posix.dirname(url)
        : `https://github.com/${j.targets.repository}/releases/download/${j.tag}`,
    };
  };
  return [
    pushStep(j),
    ...githubSteps(j, s),
    {
      name: "add to the Helm repository",
      describe: () =>
        `helm repo index --merge into ${j.targets.remote}/${j.targets.pagesBranch}:index.yaml (served at ${j.targets.helmRepoUrl})`,
      checkInDryRun: false,
      done: () => indexedAlready(pages(), indexed()),
      apply: () => addToIndex(pages(), indexed()),
    },
    {
      name: "push to the OCI registry",
      describe: () => `helm push ${j.chartName}-${j.version}.tgz ${j.targets.oci}`,
      checkInDryRun: false,
      done: () => {
        const c = need(j.chart(), "the packaged chart");
        return pushedAlready(oci(), j.chartName, j.version, c.sha256);
      },
      apply: () => {
        const c = need(j.chart(), "the packaged chart");
        return pushChart(oci(), c.file, j.chartName, j.version, c.sha256);
      },
    },
  ];
}
