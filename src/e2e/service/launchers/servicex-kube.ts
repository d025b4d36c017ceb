/**
 * ServiceX's access to the Kubernetes API in the service tier: the rendered chart's own
 * ServiceAccount of the app, its Roles and RoleBindings are created in the tier's kwok cluster,
 * and the app gets a kubeconfig with a token of that ServiceAccount (TokenRequest), so it
 * creates its transformers with exactly the permissions the chart grants it. In a pod the
 * kubernetes client reads that token from /var/run/secrets (its in-cluster mode); a local
 * process cannot have that path, so the app runs in the client's kubeconfig mode instead.
 */
import { writeFile } from "node:fs/promises";
import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import type { KubeObject } from "../../../kube/objects.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered objects are loose data.
type Loose = any;

/** The ServiceAccount, and the Roles and RoleBindings that grant it something, as rendered. */
export function grantsOf(objects: KubeObject[], account: string): KubeObject[] {
  const bindings = objects.filter(
    (o) =>
      o.kind === "RoleBinding" &&
      ((o as Loose).subjects ?? []).some(
        (s: Loose) => s.kind === "ServiceAccount" && s.name === account,
      ),
  );
  const roles = new Set(bindings.map((b) => (b as Loose).roleRef?.name as string));
  return [
    ...objects.filter((o) => o.kind === "ServiceAccount" && o.metadata.name === account),
    ...objects.filter((o) => o.kind === "Role" && roles.has(o.metadata.name)),
    ...bindings,
  ];
}

/**
 * Creates the namespace and `account`'s grants in the cluster of `adminKubeconfig`, and writes
 * to `file` a kubeconfig that acts as `account`. Returns the objects created, by kind and name.
 */
export async function serviceAccountKubeconfig(o: {
  adminKubeconfig: string;
  objects: KubeObject[];
  namespace: string;
  account: string;
  file: string;
}): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(o.adminKubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  // A relaunch (the tier's upgrade) finds what the first launch created: kept, as in a cluster.
  const create = (obj: KubernetesObject) =>
    api.create(obj).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  await create({ apiVersion: "v1", kind: "Namespace", metadata: { name: o.namespace } });
  const grants = grantsOf(o.objects, o.account);
  if (!grants.some((g) => g.kind === "ServiceAccount")) {
    throw new Error(`the rendered chart has no ServiceAccount ${o.account}`);
  }
  for (const g of grants) {
    const { namespace: _drop, ...metadata } = g.metadata as Loose;
    await create({ ...g, metadata: { ...metadata, namespace: o.namespace } } as KubernetesObject);
  }
  const token = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: o.account,
    namespace: o.namespace,
    body: { spec: { audiences: [], expirationSeconds: 24 * 3600 } },
  });
  const cluster = kc.getCurrentCluster();
  if (!cluster || !token.status?.token) throw new Error("the API server issued no token");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "service-tier",
        cluster: {
          server: cluster.server,
          ...(cluster.caData ? { "certificate-authority-data": cluster.caData } : {}),
          ...(cluster.caFile ? { "certificate-authority": cluster.caFile } : {}),
        },
      },
    ],
    users: [{ name: o.account, user: { token: token.status.token } }],
    contexts: [
      {
        name: o.account,
        context: { cluster: "service-tier", user: o.account, namespace: o.namespace },
      },
    ],
    "current-context": o.account,
  };
  await writeFile(o.file, stringify(config), { mode: 0o600 });
  return grants.map((g) => `${g.kind}/${g.metadata.name}`);
}
