/**
 * Cluster providers by name. An unknown name fails listing the known ones; `detectProvider`
 * picks the first that can run here, preferring real containers (kind) over simulation.
 */
import { UsageError } from "../../errors.js";
import { KindProvider } from "./kind/provider.js";
import { KwokProvider } from "./kwok/provider.js";
import type { ClusterProvider, Detection, ProviderContext } from "./provider.js";

/** Options every provider accepts. */
export interface ProviderOptions {
  /** Where local state (kubeconfigs, certs, PIDs) lives; default `<root>/.shoppe/clusters`. */
  stateRoot?: string;
}

const FACTORIES: Record<string, (ctx: ProviderContext, o: ProviderOptions) => ClusterProvider> = {
  kind: (ctx, o) => new KindProvider(ctx, o),
  kwok: (ctx, o) => new KwokProvider(ctx, o),
};

/** Known provider names, in detection preference order. */
export function providerNames(): string[] {
  return Object.keys(FACTORIES);
}

/** The provider called `name`; a UsageError listing the known names otherwise. */
export function getProvider(
  name: string,
  ctx: ProviderContext,
  o: ProviderOptions = {},
): ClusterProvider {
  const make = FACTORIES[name];
  if (!make) {
    throw new UsageError(
      `unknown cluster provider "${name}"; known providers: ${providerNames().join(", ")}`,
    );
  }
  return make(ctx, o);
}

/** The first provider that can run here, with every provider's detection for the report. */
export async function detectProvider(
  ctx: ProviderContext,
  o: ProviderOptions = {},
): Promise<{ provider: ClusterProvider | undefined; detections: Record<string, Detection> }> {
  const detections: Record<string, Detection> = {};
  let chosen: ClusterProvider | undefined;
  for (const name of providerNames()) {
    const p = getProvider(name, ctx, o);
    detections[name] = await p.detect();
    if (!chosen && detections[name]?.available) chosen = p;
  }
  return { provider: chosen, detections };
}
