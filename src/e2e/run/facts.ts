/**
 * Facts a results file records about what ran: the digest of stack.yaml's bytes, the git
 * commit of the project (and whether it had uncommitted changes), and the version of every
 * tool the run used. Each is read, never assumed; a fact that cannot be read is left out.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../../context.js";
import type { Umbrella } from "../../helm/umbrella.js";
import { packageRoot } from "../../package-root.js";
import { findTool } from "../../tools/catalog.js";
import type { Helm } from "../../tools/helm.js";
import { locate } from "../../tools/locate.js";
import { readToolVersion } from "../../tools/version.js";
import type { E2eResults } from "../results/model.js";
import type { BuiltDependencies } from "./prepare.js";

/** `sha256:<hex>` of a file's bytes. */
export async function fileDigest(file: string): Promise<string> {
  return `sha256:${createHash("sha256")
    .update(await readFile(file))
    .digest("hex")}`;
}

/** The project's commit and whether its work tree differs from it; undefined outside git. */
export async function gitState(
  ctx: Pick<Context, "root" | "runner">,
): Promise<{ commit: string; dirty: boolean } | undefined> {
  try {
    const { stdout } = await ctx.runner.run("git", ["-C", ctx.root, "rev-parse", "HEAD"]);
    const status = await ctx.runner.run("git", ["-C", ctx.root, "status", "--porcelain"]);
    return { commit: stdout.trim(), dirty: status.stdout.trim() !== "" };
  } catch {
    return undefined;
  }
}

/** The tools each provider runs besides helm (catalog names). */
const PROVIDER_TOOLS: Record<string, string[]> = {
  kwok: ["kube-apiserver", "etcd", "kwok"],
  kind: ["kind"],
  existing: [],
};

/** shoppe's own version, from the package it runs from. */
async function shoppeVersion(): Promise<string | undefined> {
  try {
    const pkg = path.join(packageRoot(), "package.json");
    return (JSON.parse(await readFile(pkg, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Tool → version for the tools a run with `provider` uses. */
export async function toolVersions(
  ctx: Pick<Context, "root" | "runner" | "env">,
  helm: Helm,
  provider: string,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const shoppe = await shoppeVersion();
  if (shoppe) out.shoppe = shoppe;
  out.helm = await helm.version();
  for (const name of PROVIDER_TOOLS[provider] ?? []) {
    const spec = findTool(name);
    const where = locate(ctx.root, spec?.binary ?? name, ctx.env.PATH ?? "");
    if (!spec || !where) continue;
    const v = await readToolVersion(ctx.runner, spec, where.path).catch(() => undefined);
    if (v) out[name] = v;
  }
  return out;
}

/**
 * What every results file records of the release under test, whichever tier ran it: the
 * stack file and its digest, the chart and each dependency (a substitute named as one), the
 * project's git state and the versions of the tools `provider` runs.
 */
export async function releaseFacts(
  ctx: Pick<Context, "root" | "runner" | "env">,
  file: string,
  u: Umbrella,
  deps: BuiltDependencies,
  helm: Helm,
  provider: string,
): Promise<Pick<E2eResults, "stack" | "chart" | "git" | "tools">> {
  const git = await gitState(ctx);
  const substitutes = new Map(deps.substitutions.map((s) => [s.component, s.reason]));
  return {
    stack: {
      file,
      digest: await fileDigest(path.resolve(ctx.root, file)),
      release: u.stack.release.name,
      version: u.stack.release.version,
    },
    chart: {
      name: u.name,
      version: u.version,
      dependencies: deps.dependencies.map((d) => ({
        component: d.component,
        chart: d.name,
        version: d.version,
        ...(substitutes.has(d.component)
          ? { substitute: substitutes.get(d.component) as string }
          : {}),
      })),
    },
    ...(git ? { git } : {}),
    tools: await toolVersions(ctx, helm, provider),
  };
}
