/**
 * ServiceX's source for the service tier: its server is not published as a package, so the tier
 * checks out the tag the chart deploys (the app image's tag, `v1.5.3`) from the run's mirror
 * (`--mirror`: mirror.yaml's `git:` entry for https://github.com/ssl-hep/ServiceX, a git
 * bundle here) or, without a mirror, from GitHub. A checkout that cannot be made is an error
 * saying both ways.
 */
import path from "node:path";
import { mirroredGit } from "../../../release/upstream/git-source.js";
import type { LaunchContext } from "../launcher.js";

/** The upstream repository of ServiceX (stack.yaml's `source.github`). */
export const SERVICEX_GITHUB = "ssl-hep/ServiceX";

/** A checkout of ServiceX at a tag. */
export interface ServicexSource {
  dir: string;
  tag: string;
  /** Where it came from: the mirror's bundle or the GitHub URL. */
  from: string;
}

/** The tag of an image reference (`sslhep/servicex_app:v1.5.3` → `v1.5.3`). */
export function imageTag(image: string): string {
  const tag = /:([^/:@]+)(?:@.*)?$/.exec(image)?.[1];
  if (!tag) throw new Error(`the image ${image} names no tag to check the source out at`);
  return tag;
}

/** Clones ServiceX at `tag` into `<dir>/ServiceX` (see the module comment). */
export async function servicexSource(
  c: Pick<LaunchContext, "mirror" | "runner" | "signal" | "timeoutMs">,
  tag: string,
  dir: string,
): Promise<ServicexSource> {
  const mirrored = mirroredGit(c.mirror, SERVICEX_GITHUB);
  const url = `https://github.com/${SERVICEX_GITHUB}`;
  const from = mirrored ?? url;
  const into = path.join(dir, "ServiceX");
  // A bundle or a local path is cloned whole (git ignores --depth there); a URL shallowly.
  const depth = mirrored ? [] : ["--depth", "1"];
  try {
    await c.runner.run("git", ["clone", "--quiet", ...depth, "--branch", tag, "--", from, into], {
      timeoutMs: c.timeoutMs,
      signal: c.signal,
      env: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" },
    });
  } catch (err) {
    const why = ((err as { output?: string }).output ?? String(err)).trim().split("\n").at(-1);
    const where = c.mirror
      ? `the mirror ${c.mirror.shown}${mirrored ? "" : ` (its mirror.yaml has no git: entry for ${url})`}`
      : `${url} (no --mirror given)`;
    throw new Error(
      `failed to check out ServiceX ${tag} from ${where}: ${why}; pass --mirror with a mirror whose mirror.yaml maps ${url} to a clone or bundle of it (git:), or run where GitHub is reachable`,
    );
  }
  return { dir: into, tag, from };
}
