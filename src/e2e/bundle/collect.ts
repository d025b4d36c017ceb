/**
 * Collects a diagnostics bundle from a cluster: per namespace every object's YAML (secrets
 * masked), events sorted by time, pod logs (current and previous container), `helm status`
 * and `helm history` of each release, node conditions and allocatable resources, and
 * SUMMARY.md naming the component that failed first and why. Every text goes through the
 * redactor last, once every secret value is known. A part that cannot be read (RBAC, a
 * missing API) is noted in the bundle instead of failing it; so are pod logs on kwok's nodes,
 * which do not exist because those pods are simulated.
 */
import { CoreV1Api, type V1Node, VersionApi } from "@kubernetes/client-node";
import { isKwokNode } from "../providers/existing/provider.js";
import { type Bundle, type BundleOptions, Collection, why } from "./collection.js";
import { customKinds, KINDS, namespaceEvents, namespaceObjects, podLogs } from "./namespace.js";
import { registerSecret, secretValues } from "./redact.js";
import { type ComponentOf, diagnose, firstFailure, summaryMarkdown } from "./summary.js";
import { tarGz } from "./tar.js";

export type { Bundle, BundleOptions };

async function registerSecrets(o: BundleOptions, c: Collection): Promise<void> {
  const core = o.kc.makeApiClient(CoreV1Api);
  for (const namespace of o.namespaces) {
    try {
      for (const s of (await core.listNamespacedSecret({ namespace })).items) {
        for (const v of secretValues(s)) registerSecret(c.red, v);
      }
    } catch (err) {
      c.notes.push(
        `the Secrets of ${namespace} could not be read (${why(err)}): their values are masked in the Secret objects only if listed, and elsewhere only where they look like tokens`,
      );
    }
  }
}

async function clusterFacts(o: BundleOptions, c: Collection): Promise<void> {
  try {
    const v = await o.kc.makeApiClient(VersionApi).getCode();
    c.files.set("cluster/version.txt", `${v.gitVersion}\n`);
  } catch (err) {
    c.notes.push(`the cluster's version could not be read (${why(err)})`);
  }
  let nodes: V1Node[] = [];
  try {
    nodes = (await o.kc.makeApiClient(CoreV1Api).listNode()).items;
  } catch (err) {
    c.notes.push(`nodes could not be listed (${why(err)})`);
    return;
  }
  for (const n of nodes) if (isKwokNode(n)) c.kwokNodes.add(n.metadata?.name ?? "");
  const lines = ["# Nodes", ""];
  for (const n of nodes) {
    lines.push(
      `## ${n.metadata?.name}${isKwokNode(n) ? " (simulated by kwok)" : ""}`,
      "",
      "Conditions:",
      "",
    );
    for (const cond of n.status?.conditions ?? []) {
      lines.push(
        `- ${cond.type}=${cond.status}${cond.reason ? ` (${cond.reason})` : ""}${cond.message ? `: ${cond.message}` : ""}`,
      );
    }
    lines.push("", "Allocatable:", "");
    for (const [k, v] of Object.entries(n.status?.allocatable ?? {})) lines.push(`- ${k}: ${v}`);
    lines.push("");
  }
  c.files.set("cluster/nodes.md", lines.join("\n"));
}

async function helmReleases(o: BundleOptions, c: Collection): Promise<void> {
  for (const r of o.releases) {
    const target = { namespace: r.namespace, kubeconfig: o.kubeconfig, kubeContext: o.context };
    for (const [what, run] of [
      ["status", () => o.helm.status(r.name, target)],
      ["history", () => o.helm.history(r.name, target)],
    ] as const) {
      const text = await run().catch((err: unknown) => `helm ${what} failed: ${why(err)}\n`);
      c.files.set(`helm/${r.namespace}/${r.name}/${what}.txt`, text);
    }
  }
}

/** The component of an object from its labels or owner, for a bundle without a run. */
export const componentFromLabels: ComponentOf = (_kind, name, labels) =>
  labels["app.kubernetes.io/part-of"] ?? labels["app.kubernetes.io/name"] ?? labels.app ?? name;

/** Collects, redacts and archives the bundle. */
export async function collectBundle(o: BundleOptions): Promise<Bundle> {
  const c = new Collection();
  await registerSecrets(o, c);
  await clusterFacts(o, c);
  const kinds = [...KINDS, ...(await customKinds(o.kc, c))];
  for (const ns of o.namespaces) {
    await namespaceObjects(o, c, ns, kinds);
    await namespaceEvents(o, c, ns);
    await podLogs(o, c, ns);
  }
  await helmReleases(o, c);
  const findings = diagnose(c.pods, c.jobs, c.events, o.componentOf ?? componentFromLabels);
  const paths = ["SUMMARY.md", ...[...c.files.keys()].sort()];
  const summary = summaryMarkdown({
    title: o.title,
    about: [
      `Collected ${o.now.toISOString()} from ${o.context ? `context ${o.context} of ` : ""}${o.kubeconfig}.`,
      `Namespaces: ${o.namespaces.join(", ")}.`,
      ...(o.releases.length
        ? [`Helm releases: ${o.releases.map((r) => `${r.namespace}/${r.name}`).join(", ")}.`]
        : []),
      "Secret values, tokens and passwords are masked (***).",
    ],
    findings,
    ...(o.failed ? { failed: o.failed } : {}),
    notes: c.notes,
    files: paths,
  });
  c.files.set("SUMMARY.md", summary);
  const top = `shoppe-bundle-${o.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
  const entries = paths.map(
    (p) =>
      [`${top}/${p}`, o.redactor.redact(c.red.redact(c.files.get(p) ?? ""))] as [string, string],
  );
  const first = firstFailure(findings, o.failed);
  return {
    archive: await tarGz(entries, o.now),
    files: paths,
    ...(first ? { first: { component: first.component, why: first.why } } : {}),
    notes: c.notes,
  };
}
