/**
 * `shoppe resources`: CPU and memory requests and limits, GPUs and persistent volume sizes the
 * rendered umbrella asks for, per component and in total, for each profile (pitfall 17:
 * know what a test cluster must hold before installing).
 */
import type { Context } from "../context.js";
import { newestKubeVersion, type RenderSettings, renderMatrix } from "../helm/render.js";
import {
  attributionScope,
  openUmbrella,
  selectProfiles,
  type UmbrellaOptions,
} from "../helm/umbrella.js";
import { formatBytes, formatCount, formatCpu, toUnits } from "../inspect/quantity.js";
import { type ResourceAmounts, summariseResources } from "../inspect/resources.js";

/** Options of `resources`. */
export interface ResourcesOptions extends UmbrellaOptions, RenderSettings {
  profile?: string;
  /** Kubernetes version to render for; default the newest supported one. */
  kubeVersion?: string;
}

/** Amounts as numbers (cores, bytes, GPUs) and as people write them. */
export interface AmountsView {
  pods: number;
  cpu: { requests: number; limits: number };
  memory: { requests: number; limits: number };
  gpus: number;
  storage: number;
  /** The same, formatted: `1500m`, `1.5Gi`. */
  display: {
    cpuRequests: string;
    cpuLimits: string;
    memoryRequests: string;
    memoryLimits: string;
    gpus: string;
    storage: string;
  };
}

/** One workload or claim's contribution. */
export interface ResourceItemView {
  component: string;
  object: string;
  replicas: number;
  perNode: boolean;
  total: AmountsView;
}

/** One profile's sums. */
export interface ProfileResources {
  profile: string;
  kubeVersion: string;
  components: Record<string, AmountsView>;
  total: AmountsView;
  items: ResourceItemView[];
  notes: string[];
}

/** Every profile's sums. */
export interface ResourcesResult {
  chartDir: string;
  profiles: ProfileResources[];
}

/** Amounts for --json (numbers) and tables (strings). */
export function viewAmounts(a: ResourceAmounts, pods: number): AmountsView {
  return {
    pods,
    cpu: { requests: toUnits(a.cpuRequests), limits: toUnits(a.cpuLimits) },
    memory: { requests: toUnits(a.memoryRequests), limits: toUnits(a.memoryLimits) },
    gpus: toUnits(a.gpus),
    storage: toUnits(a.storage),
    display: {
      cpuRequests: formatCpu(a.cpuRequests),
      cpuLimits: formatCpu(a.cpuLimits),
      memoryRequests: formatBytes(a.memoryRequests),
      memoryLimits: formatBytes(a.memoryLimits),
      gpus: formatCount(a.gpus),
      storage: formatBytes(a.storage),
    },
  };
}

/** Sums resources per component and in total for each profile. */
export async function resources(
  ctx: Context,
  options: ResourcesOptions = {},
): Promise<ResourcesResult> {
  const u = await openUmbrella(ctx, options);
  const profiles = selectProfiles(u, options.profile);
  const kubeVersion = options.kubeVersion ?? newestKubeVersion(u);
  const renderings = await renderMatrix(ctx, u, profiles, [kubeVersion], options);
  const scope = attributionScope(u);
  return {
    chartDir: u.chartShown,
    profiles: renderings.map((r) => {
      const s = summariseResources(r.objects, scope);
      return {
        profile: r.profile,
        kubeVersion: r.kubeVersion,
        components: Object.fromEntries(
          Object.entries(s.components).map(([id, a]) => [id, viewAmounts(a, a.pods)]),
        ),
        total: viewAmounts(s.total, s.total.pods),
        items: s.items.map((it) => ({
          component: it.component,
          object: it.object,
          replicas: it.replicas,
          perNode: it.perNode,
          total: viewAmounts(
            it.total,
            it.object.startsWith("PersistentVolumeClaim/") ? 0 : it.replicas,
          ),
        })),
        notes: s.notes,
      };
    }),
  };
}
