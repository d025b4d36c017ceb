/**
 * Where a release goes: the project's GitHub repository (releases, the chart archive as an
 * asset), its GitHub Pages Helm repository (the `gh-pages` branch of the git remote, whose
 * `index.yaml` points at the release assets) and an OCI repository for `helm push`.
 */
import { UsageError } from "../errors.js";
import { githubApi } from "../github/client.js";

/** The publishing targets of one release. */
export interface ReleaseTargets {
  /** `owner/name` on GitHub. */
  repository: string;
  /** GitHub REST API base URL. */
  api: string;
  /** The git remote the commit, the tag and gh-pages are pushed to. */
  remote: string;
  /** The branch holding the Helm repository index. */
  pagesBranch: string;
  /** The Helm repository URL facilities add (GitHub Pages of the repository). */
  helmRepoUrl: string;
  /** `oci://host/path` the chart is pushed under. */
  oci: string;
}

/** What the settings and flags said. */
export interface TargetOptions {
  githubRepo?: string;
  githubApi?: string;
  remote?: string;
  pagesBranch?: string;
  helmRepoUrl?: string;
  oci?: string;
}

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * The targets from the options, else from the environment GitHub Actions sets, else from
 * stack.yaml's `release.home` when it is a GitHub URL.
 */
export function releaseTargets(
  o: TargetOptions,
  env: NodeJS.ProcessEnv,
  home: string | undefined,
): ReleaseTargets {
  const fromHome = home
    ? /^https?:\/\/github\.com\/([^/\s]+\/[^/\s]+?)\/?$/i.exec(home)?.[1]
    : undefined;
  const repository = o.githubRepo ?? env.GITHUB_REPOSITORY ?? fromHome;
  if (!repository || !REPO.test(repository)) {
    throw new UsageError(
      `failed to find the GitHub repository to release to${repository ? ` ("${repository}" is not owner/name)` : ""}: set --github-repo (or SHOPPE_GITHUB_REPO, GITHUB_REPOSITORY, or a GitHub URL as release.home)`,
    );
  }
  const [owner = "", name = ""] = repository.split("/");
  return {
    repository,
    api: githubApi(o.githubApi ?? env.GITHUB_API_URL ?? "https://api.github.com"),
    remote: o.remote ?? "origin",
    pagesBranch: o.pagesBranch ?? "gh-pages",
    helmRepoUrl: o.helmRepoUrl ?? `https://${owner.toLowerCase()}.github.io/${name}`,
    oci: (o.oci ?? `oci://ghcr.io/${owner.toLowerCase()}/charts`).replace(/\/+$/, ""),
  };
}
