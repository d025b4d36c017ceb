/**
 * The end of a run: the diagnostics bundle when something failed (collected before anything is
 * removed), then the teardown of exactly what the run created, or, with --keep, the commands
 * to reach and delete it. Neither ever uses the run's signal: an interrupted run still cleans up.
 */
import { collectBundle, componentFromLabels } from "../bundle/collect.js";
import type { Cluster, KubernetesPin } from "../providers/provider.js";
import type { E2eResults } from "../results/model.js";
import { deleteRunNamespace } from "./namespace.js";
import type { NamespaceObserver } from "./observe.js";
import { describe, type RunSetup, type RunState, step } from "./setup.js";

/** The bundle of the run's namespace, or undefined when there is none to collect or it failed. */
export async function runBundle(
  s: RunSetup,
  st: RunState,
  observer: NamespaceObserver,
  o: { runId: string; pin: KubernetesPin },
): Promise<Buffer | undefined> {
  const { cluster, kc, namespace } = st;
  if (!cluster || !kc || !namespace) return undefined;
  const failed = [...(st.upgrade?.components ?? []), ...st.components]
    .filter((c) => c.status === "failed")
    .map((c) => ({
      id: c.id,
      reason: c.reason ?? "failed",
      ...(c.firstProblemAt ? { firstProblemAt: c.firstProblemAt } : {}),
    }));
  try {
    const b = await step(s.ctx, "collecting diagnostics", () =>
      collectBundle({
        kc,
        kubeconfig: cluster.kubeconfig,
        context: cluster.context,
        namespaces: [namespace],
        releases: st.installed ? [{ name: s.release, namespace }] : [],
        helm: s.helm,
        redactor: s.ctx.redactor,
        componentOf: (kind, name, labels) =>
          observer.componentOf(kind, name) ?? componentFromLabels(kind, name, labels),
        failed,
        title: `shoppe e2e run ${o.runId}: ${s.provider.name}, Kubernetes ${o.pin.version}, profile ${s.profile}`,
        now: s.ctx.now(),
        logger: s.ctx.logger,
      }),
    );
    return b.archive;
  } catch (err) {
    s.ctx.logger.warn(`failed to collect the diagnostics bundle: ${describe(err)}`);
    return undefined;
  }
}

/** How to reach what --keep kept, and how to delete it. */
function keptInstructions(s: RunSetup, st: RunState, c: Cluster): string[] {
  const ns = st.namespace ?? "";
  const ctxFlag = c.context ? ` --context ${c.context}` : "";
  const reach = [
    `export KUBECONFIG=${c.kubeconfig}`,
    `kubectl${ctxFlag} --namespace ${ns} get pods`,
  ];
  if (s.provider.capabilities.ownsCluster) {
    return [...reach, `shoppe cluster delete --provider ${s.provider.name} --name ${c.name}`];
  }
  const helmCtx = c.context ? ` --kube-context ${c.context}` : "";
  return [
    ...reach,
    `helm uninstall ${s.release} --namespace ${ns} --kubeconfig ${c.kubeconfig}${helmCtx}`,
    `kubectl${ctxFlag} delete namespace ${ns}`,
  ];
}

/**
 * Removes what the run created: the cluster of a provider that owns it; on someone else's
 * cluster the release and the namespace, only while it carries this run's id.
 */
export async function teardownRun(
  s: RunSetup,
  st: RunState,
  runId: string,
): Promise<{ status: E2eResults["teardown"]; kept?: string[] }> {
  const { cluster, namespace } = st;
  if (!cluster) return { status: { status: "not-needed" } };
  if (s.keep) return { status: { status: "kept" }, kept: keptInstructions(s, st, cluster) };
  const done: string[] = [];
  try {
    await step(s.ctx, "teardown", async () => {
      if (s.provider.capabilities.ownsCluster) {
        const d = await s.provider.delete(cluster.name);
        done.push(`cluster ${cluster.name} deleted (${d.stopped.length} stopped)`);
        return;
      }
      const target = {
        namespace: namespace ?? "",
        kubeconfig: cluster.kubeconfig,
        kubeContext: cluster.context,
      };
      if (st.installed) {
        await s.helm.uninstall(s.release, target);
        done.push(`release ${s.release} uninstalled`);
      }
      if (namespace && st.kc) done.push(await deleteRunNamespace(st.kc, namespace, runId));
    });
    return { status: { status: "done", detail: done.join("; ") } };
  } catch (err) {
    return { status: { status: "failed", detail: [...done, describe(err)].join("; ") } };
  }
}
