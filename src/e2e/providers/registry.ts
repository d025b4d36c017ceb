/**
 * Cluster providers by name. An unknown name fails listing the known ones; `detectProvider`
 * picks the first that can run here, preferring real containers (kind) over simulation
 * (kwok). `existing` is never picked by detection: testing someone's cluster is a choice.
 */
import { UsageError } from "../../errors.js";
import { ExistingProvider } from "./existing/provider.js";
import { KindProvider } from "./kind/provider.js";
import { KwokProvider } from "./kwok/provider.js";
import type { ClusterProvider, Detection, ProviderContext } from "./provider.js";

/** Options every provider accepts (each reads the ones it needs). */
export interface ProviderOptions {
  /** Where local state (kubeconfigs, certs, PIDs) lives; default `<root>/.shoppe/clusters`. */
  stateRoot?: string;
  /** existing: the kubeconfig file; default $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** existing: the context; default the kubeconfig's current context. */
  context?: string;
}

const FACTORIES: Record<string, (ctx: ProviderContext, o: ProviderOptions) => ClusterProvider> = {
  kind: (ctx, o) => new KindProvider(ctx, o),
  kwok: (ctx, o) => new KwokProvider(ctx, o),
  existing: (ctx, o) => new ExistingProvider(ctx, { kubeconfig: o.kubeconfig, context: o.context }),
};

/** Providers `detectProvider` considers, in preference order. */
const DETECTED = ["kind", "kwok"];

/** Known provider names: the detected ones first. */
export function providerNames(): string[] {
  return Object.keys(FACTORIES);
}

/** The provider called `name`; a UsageError listing the known names otherwise. */
export function getProvider(
  name: string,
  ctx: ProviderContext,
  o: ProviderOptions = {},
): ClusterProvider {
  const make = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!make) {
    throw new UsageError(
      `unknown cluster provider "${name}"; known providers: ${providerNames().join(", ")}`,
    );
  }
  return make(ctx, o);
}

/** The first provider that can run here, with each detected provider's answer for the report. */
export async function detectProvider(
  ctx: ProviderContext,
  o: ProviderOptions = {},
): Promise<{ provider: ClusterProvider | undefined; detections: Record<string, Detection> }> {
  const detections: Record<string, Detection> = {};
  let chosen: ClusterProvider | undefined;
  for (const name of DETECTED) {
    const p = getProvider(name, ctx, o);
    detections[name] = await p.detect();
    if (!chosen && detections[name]?.available) chosen = p;
  }
  return { provider: chosen, detections };
}
