/**
 * A run's plan: everything decided and checked before anything is created. The provider (named,
 * or detected: kind where a container engine answers, else kwok, with the reason), the profile,
 * the Kubernetes versions (one, or the matrix; each the provider can run or not, with why).
 */

import type { Context } from "../../context.js";
import { InputError, UsageError } from "../../errors.js";
import type { Stack } from "../../manifest/schema.js";
import type { ClusterProvider, Detection, KubernetesPin } from "../providers/provider.js";
import { detectProvider, getProvider, type ProviderOptions } from "../providers/registry.js";

/** The provider and why it was chosen. */
export interface ChosenProvider {
  provider: ClusterProvider;
  because: string;
}

/** The provider named (with where the name came from), or the first detected. */
export async function chooseProvider(
  ctx: Context,
  named: { name: string; origin: string } | undefined,
  o: ProviderOptions,
): Promise<ChosenProvider> {
  if (named)
    return { provider: getProvider(named.name, ctx, o), because: `named by ${named.origin}` };
  const { provider, detections } = await detectProvider(ctx, o);
  const kind = detections.kind;
  if (!provider) {
    const why = Object.entries(detections)
      .map(([n, d]) => `${n}: ${d.reason}`)
      .join("; ");
    throw new InputError(
      `failed to choose a cluster provider: none can run here (${why}); pass --provider existing to test a cluster you have`,
    );
  }
  const because =
    provider.name === "kind"
      ? "detected: a container engine answers"
      : `detected: kind cannot run here (${kind?.reason})`;
  return { provider, because };
}

/** A Kubernetes version of stack.yaml and whether the provider can run it. */
export interface PlannedVersion {
  pin: KubernetesPin;
  runnable: Detection;
}

const bare = (v: string) => v.replace(/^v/, "");

/**
 * The versions to run: `kubeVersion` (which must be in stack.yaml and runnable), every version
 * with `matrix`, else the newest the provider can run. Bad input is exit 2, before anything.
 */
export async function planVersions(
  stack: Stack,
  provider: ClusterProvider,
  o: { kubeVersion?: string | undefined; matrix?: boolean | undefined },
): Promise<PlannedVersion[]> {
  if (o.kubeVersion && o.matrix)
    throw new UsageError("--kube-version and --matrix exclude each other; pass one");
  const pins: KubernetesPin[] = stack.kubernetes.versions.map((k) => ({
    version: k.version,
    ...(k.kindNodeImage ? { kindNodeImage: k.kindNodeImage } : {}),
  }));
  const known = pins.map((p) => p.version).join(", ");
  let chosen = pins;
  if (o.kubeVersion) {
    const pin = pins.find((p) => p.version === bare(o.kubeVersion as string));
    if (!pin) {
      throw new UsageError(
        `Kubernetes ${bare(o.kubeVersion)} is not a version stack.yaml supports (${known})`,
      );
    }
    chosen = [pin];
  }
  const planned: PlannedVersion[] = [];
  for (const pin of chosen) planned.push({ pin, runnable: await provider.canRun(pin) });
  const runnable = planned.filter((p) => p.runnable.available);
  if (o.kubeVersion && runnable.length === 0) {
    throw new InputError(
      `failed to run Kubernetes ${bare(o.kubeVersion)} on the ${provider.name} provider: ${planned[0]?.runnable.reason}`,
    );
  }
  if (runnable.length === 0) {
    const reasons = [...new Set(planned.map((p) => p.runnable.reason))];
    const why =
      reasons.length === 1
        ? reasons[0]
        : planned.map((p) => `${p.pin.version}: ${p.runnable.reason}`).join("; ");
    throw new InputError(
      `failed to run the ${provider.name} provider: no Kubernetes version of stack.yaml (${known}) can run on it: ${why}`,
    );
  }
  if (o.matrix || o.kubeVersion) return planned;
  // The newest runnable version stands for the run.
  const newest = [...runnable].sort((a, b) =>
    compare(b.pin.version, a.pin.version),
  )[0] as PlannedVersion;
  return [newest];
}

function compare(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
