/**
 * `shoppe support-bundle`: the diagnostics bundle of `shoppe e2e run`, on demand, from any
 * cluster a kubeconfig reaches: a namespace, or a Helm release (and its namespace). A facility
 * operator attaches the `.tar.gz` to a support ticket; secret values, tokens and passwords in
 * it are masked (src/e2e/bundle/redact.ts). The file is new, written whole or not at all (src/e2e/bundle/output.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import type { Context } from "../context.js";
import { collectBundle, componentFromLabels } from "../e2e/bundle/collect.js";
import { checkNewFile, writeNewFile } from "../e2e/bundle/output.js";
import type { ComponentOf } from "../e2e/bundle/summary.js";
import { loadKubeconfig, servedVersion } from "../e2e/providers/existing/kubeconfig.js";
import { InputError, UsageError } from "../errors.js";
import { attribute } from "../inspect/attribution.js";
import { loadStack } from "../manifest/load.js";
import { openHelm } from "../tools/helm.js";

/** Options of support-bundle. */
export interface SupportBundleOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  release?: string | undefined;
  /** The archive to write, relative to the project root; default shoppe-support-<time>.tar.gz. */
  output?: string | undefined;
}

/** What support-bundle wrote. */
export interface SupportBundleResult {
  file: string;
  namespaces: string[];
  releases: { name: string; namespace: string }[];
  /** Files in the archive. */
  files: number;
  firstFailure?: { component: string; why: string };
  notes: string[];
}

/** The project's components, when run in a Coffea Shoppe project: attribution by its stack. */
async function projectAttribution(ctx: Context, release: string | undefined): Promise<ComponentOf> {
  const file = path.join(ctx.root, "stack.yaml");
  if (!existsSync(file)) return componentFromLabels;
  try {
    const { stack } = await loadStack(file, { shownAs: "stack.yaml" });
    const scope = {
      umbrella: release ?? stack.release.name,
      components: Object.fromEntries(
        Object.entries(stack.components).map(([id, c]) => [id, c.chart?.name]),
      ),
    };
    return (kind, name, labels) => {
      const a = attribute({ apiVersion: "v1", kind, metadata: { name, labels } }, scope);
      return a.via === "none" ? componentFromLabels(kind, name, labels) : a.component;
    };
  } catch {
    return componentFromLabels;
  }
}

/** Collects and writes the bundle (see the module comment). */
export async function supportBundle(
  ctx: Context,
  o: SupportBundleOptions,
): Promise<SupportBundleResult> {
  if (!o.namespace && !o.release) {
    throw new UsageError("name what to collect: --namespace <name>, --release <name>, or both");
  }
  const now = ctx.now();
  const shown =
    o.output ??
    `shoppe-support-${now
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}.tar.gz`;
  const out = path.resolve(ctx.root, shown);
  await checkNewFile(out, shown);
  const config = await loadKubeconfig(o, ctx.env, ctx.root);
  await servedVersion(config);
  const { kc, file: kubeconfig, context } = config;
  const helm = openHelm(ctx, "v4");
  const releases: { name: string; namespace: string }[] = [];
  let namespace = o.namespace;
  if (o.release) {
    const found = (
      await helm.list({ kubeconfig, kubeContext: context, ...(namespace ? { namespace } : {}) })
    ).filter((r) => r.name === o.release);
    if (found.length !== 1) {
      const where = namespace ? `namespace ${namespace}` : "any namespace";
      throw new InputError(
        found.length === 0
          ? `failed to find the Helm release ${o.release} in ${where} of context "${context}"`
          : `the Helm release ${o.release} is in several namespaces (${found.map((r) => r.namespace).join(", ")}); pass --namespace`,
      );
    }
    namespace = (found[0] as { namespace: string }).namespace;
    releases.push({ name: o.release, namespace });
  }
  const ns = namespace as string;
  try {
    await kc.makeApiClient(CoreV1Api).readNamespace({ name: ns });
  } catch {
    throw new InputError(`failed to find namespace ${ns} in context "${context}"`);
  }
  const step = ctx.progress.start(`collecting ${ns}${o.release ? ` (release ${o.release})` : ""}`);
  const bundle = await collectBundle({
    kc,
    kubeconfig,
    context,
    namespaces: [ns],
    releases,
    helm,
    redactor: ctx.redactor,
    componentOf: await projectAttribution(ctx, o.release),
    title: `Support bundle of ${o.release ? `release ${o.release} in ` : ""}namespace ${ns}`,
    now,
    logger: ctx.logger,
  }).catch((err: unknown) => {
    step.fail();
    throw err;
  });
  await writeNewFile(out, shown, bundle.archive);
  step.succeed(`${bundle.files.length} files`);
  return {
    file: shown,
    namespaces: [ns],
    releases,
    files: bundle.files.length,
    ...(bundle.first ? { firstFailure: bundle.first } : {}),
    notes: bundle.notes,
  };
}
