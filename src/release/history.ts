/**
 * The release history in git: release tags are `v<version>` (SemVer, as Helm requires), the
 * last release is the highest final version tagged on the current branch's history, and the
 * manifest it shipped is `stack.yaml` as committed at that tag.
 */
import semver from "semver";
import { InputError } from "../errors.js";
import { parseYamlText } from "../manifest/parse.js";
import { type Stack, StackSchema } from "../manifest/schema.js";
import { issuesToDiagnostics } from "../manifest/schema-issues.js";
import type { Git } from "../tools/git.js";

/** The tag of release `version`. */
export function releaseTag(version: string): string {
  return `v${version}`;
}

/** The version a release tag stands for, or undefined when it is not one. */
export function tagVersion(tag: string): string | undefined {
  if (!tag.startsWith("v")) return undefined;
  const v = tag.slice(1);
  return semver.valid(v) === v ? v : undefined;
}

/** A release found in git. */
export interface TaggedRelease {
  tag: string;
  version: string;
  commit: string;
}

/** Release tags reachable from `rev` (less `exclude`): every version, and the last final one. */
export async function releaseHistory(
  git: Git,
  rev = "HEAD",
  exclude?: string,
): Promise<{ last?: TaggedRelease; versions: string[] }> {
  // `exclude`: the release being resumed, whose tag is already on HEAD.
  const tags = (await git.tagsMerged("v*", rev)).filter((t) => t !== exclude);
  const versions = tags.flatMap((t) => tagVersion(t) ?? []).sort(semver.compare);
  const finals = versions.filter((v) => !semver.prerelease(v));
  const lastVersion = finals.at(-1);
  if (!lastVersion) return { versions };
  const tag = releaseTag(lastVersion);
  const commit = (await git.resolve(`refs/tags/${tag}`)) ?? "";
  return { last: { tag, version: lastVersion, commit }, versions };
}

/**
 * The manifest as committed at `rev`, read with the schema (not the rules, whose files are
 * those of that commit); an old manifest this version cannot read is an InputError naming it.
 */
export async function stackAt(git: Git, rev: string, file: string): Promise<Stack> {
  const shown = `${rev}:${file}`;
  const text = await git.show(rev, file);
  if (text === undefined) {
    throw new InputError(`failed to read ${shown}: the file is not in that commit`);
  }
  const { positioned, value } = parseYamlText(text, shown);
  const parsed = StackSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(
      `failed to read ${shown}: this version of shoppe cannot read the manifest of that release; compare by hand or cut the first release with --version`,
      issuesToDiagnostics(parsed.error.issues, positioned),
    );
  }
  return parsed.data;
}
