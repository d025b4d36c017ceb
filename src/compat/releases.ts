/**
 * The releases results can belong to: the one in the work tree (stack.yaml as it is now) and
 * every earlier one tagged `v<version>` (stack.yaml as committed at the tag, read through
 * git). A release is known by its chart name, version and the digest of its stack.yaml's
 * bytes, so results are matched to the manifest they tested, never only to a version number.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import semver from "semver";
import { parse } from "yaml";
import * as z from "zod";
import type { Context } from "../context.js";
import { fileDigest } from "../e2e/run/facts.js";
import { loadStack } from "../manifest/load.js";
import type { Stack } from "../manifest/schema.js";
import { Git } from "../tools/git.js";
import type { IgnoredRun, ReleaseIdentity } from "./counting.js";
import type { ComponentInfo } from "./evaluate.js";
import type { RunFile } from "./runs.js";

/** A release and its components. */
export interface ReleaseSource {
  identity: ReleaseIdentity;
  components: ComponentInfo[];
  /** The release in the work tree (not a tag). */
  current: boolean;
}

/** Just what an older stack.yaml must say; anything else in it may have changed since. */
const TaggedStack = z.object({
  release: z.object({ name: z.string(), version: z.string() }),
  kubernetes: z.object({ versions: z.array(z.object({ version: z.string() })) }),
  components: z.record(
    z.string(),
    z.object({ displayName: z.string().optional(), enabled: z.boolean().optional() }),
  ),
});

function componentsOf(components: StackHead["components"]): ComponentInfo[] {
  return Object.entries(components).map(([id, c]) => ({
    id,
    displayName: c.displayName ?? id,
    enabled: c.enabled !== false,
  }));
}

/** The release of the work tree's stack.yaml (`file`, relative to the root). */
export async function currentRelease(root: string, file: string): Promise<ReleaseSource> {
  const abs = path.resolve(root, file);
  const { stack } = await loadStack(abs, { shownAs: file });
  return fromStack(stack, await fileDigest(abs));
}

/** What a release source needs of a manifest (the current one's, or an older one's). */
interface StackHead {
  release: Pick<Stack["release"], "name" | "version">;
  kubernetes: { versions: { version: string }[] };
  components: Record<string, { displayName?: string | undefined; enabled?: boolean | undefined }>;
}

function fromStack(stack: StackHead, digest: string): ReleaseSource {
  return {
    identity: {
      name: stack.release.name,
      version: stack.release.version,
      digest,
      kubernetes: stack.kubernetes.versions.map((v) => v.version),
    },
    components: componentsOf(stack.components),
    current: true,
  };
}

/** The release tagged `v<version>`, or why it cannot be known. */
async function taggedRelease(ctx: Context, version: string): Promise<ReleaseSource | string> {
  const tag = `v${version}`;
  const text = await new Git(ctx.runner, ctx.root).show(tag, "stack.yaml").catch(() => undefined);
  if (text === undefined) {
    return `no tag ${tag} with a stack.yaml in this repository, so which manifest release ${version} was cannot be checked`;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  const parsed = TaggedStack.safeParse(doc);
  if (!parsed.success)
    return `stack.yaml at ${tag} does not name its release, Kubernetes versions and components`;
  const digest = `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
  const source = fromStack(parsed.data, digest);
  return { ...source, current: false };
}

/**
 * The releases `runs` belong to, newest first: the current one always, and every other
 * version of the same chart the runs name. Runs of a version whose tag cannot be read, or of
 * another chart, are returned as ignored with the reason.
 */
export async function releasesOfRuns(
  ctx: Context,
  current: ReleaseSource,
  runs: readonly RunFile[],
): Promise<{ releases: ReleaseSource[]; ignored: IgnoredRun[] }> {
  const ignored: IgnoredRun[] = [];
  const versions = new Set<string>();
  for (const run of runs) {
    const chart = run.results.chart;
    if (chart.name !== current.identity.name) {
      ignored.push({
        file: run.file,
        why: `it tested the chart ${chart.name}, not ${current.identity.name}`,
      });
    } else if (chart.version !== current.identity.version) versions.add(chart.version);
  }
  const releases = [current];
  for (const version of versions) {
    const found = await taggedRelease(ctx, version);
    if (typeof found !== "string") {
      releases.push(found);
      continue;
    }
    for (const run of runs) {
      if (run.results.chart.name === current.identity.name && run.results.chart.version === version)
        ignored.push({ file: run.file, why: found });
    }
  }
  const order = (v: string) => semver.valid(v) ?? "0.0.0";
  releases.sort((a, b) => semver.rcompare(order(a.identity.version), order(b.identity.version)));
  return { releases, ignored };
}
