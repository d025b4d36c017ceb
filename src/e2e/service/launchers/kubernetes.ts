/**
 * A Kubernetes API for the service tier, as a backing service: ServiceX's API server starts its
 * transformers by creating Deployments and ConfigMaps through the Kubernetes API, so the tier
 * creates a kwok cluster (a real kube-apiserver, etcd and controller-manager built from the
 * pinned sources, nodes and pods simulated: `docs/kwok.md`) in its scratch directory, as a
 * session cluster, and deletes it at the end. Objects the app creates there are accepted,
 * reconciled and scheduled for real; their pods run no container.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { KwokProvider } from "../../providers/kwok/provider.js";
import type { LaunchContext, Launched, Launcher } from "../launcher.js";

async function start(c: LaunchContext): Promise<Launched> {
  if (!c.provider)
    throw new Error("this run cannot create a local Kubernetes API (no provider context)");
  const kwok = new KwokProvider(c.provider, { stateRoot: path.join(c.dir, "clusters") });
  const name = `shoppe-service-${randomBytes(3).toString("hex")}`;
  const cluster = await kwok.create({
    name,
    lifetime: "session",
    timeoutMs: c.timeoutMs,
    signal: c.signal,
  });
  return {
    software: [
      {
        name: "kube-apiserver (the kwok provider: built from k8s.io/kubernetes, nodes and pods simulated)",
        pinned: `${cluster.kubernetesVersion} (KUBE_VERSION, scripts/tool-versions.env)`,
        answered: cluster.kubernetesVersion,
        match: true,
        note: "the Kubernetes API ServiceX's API server creates its transformers through; pods there run no container",
      },
    ],
    data: { kubeconfig: cluster.kubeconfig, server: cluster.server },
    stop: async () => {
      await kwok.delete(name);
    },
  };
}

/** See the module comment. */
export const kubernetesLauncher: Launcher = { component: "kubernetes", start };
