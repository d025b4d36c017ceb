/**
 * The run's own namespace, `shoppe-e2e-<id>`: created by the run and labelled with its id, so
 * teardown deletes it only when it still carries that id, and a namespace the run did not
 * create is refused before anything is installed (a facility's `existing` cluster holds
 * namespaces that are not ours).
 */

import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api, type KubeConfig, type V1Namespace } from "@kubernetes/client-node";
import { InputError, ShoppeError } from "../../errors.js";

/** The label every namespace a run creates carries. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "shoppe-e2e" };

/** The annotation naming the run that created the namespace. */
export const RUN_ANNOTATION = "e2e.shoppe.coffea-casa.io/run";

/** The namespace name for a run id. */
export function namespaceFor(id: string): string {
  return `shoppe-e2e-${id}`;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

async function read(kc: KubeConfig, name: string): Promise<V1Namespace | undefined> {
  try {
    return await kc.makeApiClient(CoreV1Api).readNamespace({ name });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw new ShoppeError(`failed to read namespace ${name}: ${String(err)}`, { cause: err });
  }
}

/** Refuses (InputError, exit 2) a namespace name that is invalid or already exists. */
export async function requireFreeNamespace(kc: KubeConfig, name: string): Promise<void> {
  if (!NAME.test(name)) {
    throw new InputError(
      `invalid namespace "${name}": use a DNS label (lower-case letters, digits, dashes)`,
    );
  }
  const ns = await read(kc, name);
  if (!ns) return;
  const by = ns.metadata?.annotations?.[RUN_ANNOTATION];
  throw new InputError(
    by
      ? `namespace ${name} exists: an earlier shoppe e2e run (${by}) left it; delete it first (kubectl delete namespace ${name}) or pass another --namespace`
      : `namespace ${name} exists and shoppe did not create it; shoppe e2e run works only in a namespace it creates: pass another --namespace`,
  );
}

/** Creates the namespace, labelled and annotated with the run's id. */
export async function createRunNamespace(
  kc: KubeConfig,
  name: string,
  runId: string,
): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name, labels: MANAGED_BY, annotations: { [RUN_ANNOTATION]: runId } } },
    });
  } catch (err) {
    if ((err as { code?: number }).code === 409) await requireFreeNamespace(kc, name);
    throw new ShoppeError(`failed to create namespace ${name}: ${String(err)}`, { cause: err });
  }
}

/**
 * Deletes the namespace if this run created it (its annotation names `runId`) and waits until
 * it is gone; a namespace someone else owns is left alone. Returns what it did.
 */
export async function deleteRunNamespace(
  kc: KubeConfig,
  name: string,
  runId: string,
  timeoutMs = 120_000,
): Promise<string> {
  const ns = await read(kc, name);
  if (!ns) return `namespace ${name} was already gone`;
  if (ns.metadata?.annotations?.[RUN_ANNOTATION] !== runId) {
    return `namespace ${name} is not this run's; left alone`;
  }
  await kc.makeApiClient(CoreV1Api).deleteNamespace({ name });
  const deadline = Date.now() + timeoutMs;
  while (await read(kc, name)) {
    if (Date.now() > deadline) {
      throw new ShoppeError(
        `failed to delete namespace ${name}: still terminating after ${timeoutMs / 1000}s (kubectl get namespace ${name} -o yaml shows what holds it)`,
      );
    }
    await sleep(500);
  }
  return `namespace ${name} deleted`;
}
