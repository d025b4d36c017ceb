/**
 * `shoppe images`: every container image the rendered umbrella deploys, per profile, with
 * the object and container it came from, checked against the images stack.yaml pins. An image
 * deployed but not pinned, or pinned for an enabled component but neither deployed nor handed
 * to anything (field-notes pitfall 13), is drift.
 */
import type { Context } from "../context.js";
import { enabledComponents } from "../helm/profile-values.js";
import { newestKubeVersion, type RenderSettings, renderMatrix } from "../helm/render.js";
import {
  attributionScope,
  openUmbrella,
  selectProfiles,
  type Umbrella,
  type UmbrellaOptions,
} from "../helm/umbrella.js";
import { pinnedRef } from "../inspect/image-ref.js";
import {
  compareImages,
  type DeployedImage,
  type ImagePin,
  type PinStatus,
} from "../inspect/images.js";

/** Options of `images`. */
export interface ImagesOptions extends UmbrellaOptions, RenderSettings {
  profile?: string;
  /** Kubernetes version to render for; default the newest supported one. */
  kubeVersion?: string;
}

/** The images of one profile. */
export interface ProfileImages {
  profile: string;
  kubeVersion: string;
  /** Component id → enabled under this profile. */
  enabled: Record<string, boolean>;
  deployed: (Omit<DeployedImage, "ref"> & { pinnedBy: string[] })[];
  pins: PinStatus[];
  /** Drift: deployed but not pinned. */
  unpinned: Omit<DeployedImage, "ref">[];
  /** Drift: pinned for an enabled component, not deployed or referenced. */
  missing: PinStatus[];
  notes: string[];
}

/** Every profile's images; `drift` when any profile has some. */
export interface ImagesResult {
  chartDir: string;
  drift: boolean;
  profiles: ProfileImages[];
}

function pinsOf(u: Umbrella, enabled: Record<string, boolean>): ImagePin[] {
  return Object.entries(u.stack.components).flatMap(([id, c]) =>
    c.images.map((img) => ({
      component: id,
      name: img.name,
      ref: pinnedRef(img),
      enabled: enabled[id] ?? c.enabled,
      ...(img.startedBy ? { startedBy: img.startedBy } : {}),
    })),
  );
}

/** Lists deployed images per profile and compares them with the pins. */
export async function images(ctx: Context, options: ImagesOptions = {}): Promise<ImagesResult> {
  const u = await openUmbrella(ctx, options);
  const profiles = selectProfiles(u, options.profile);
  const kubeVersion = options.kubeVersion ?? newestKubeVersion(u);
  const renderings = await renderMatrix(ctx, u, profiles, [kubeVersion], options);
  const scope = attributionScope(u);
  const out: ProfileImages[] = [];
  for (const [i, r] of renderings.entries()) {
    const enabled = await enabledComponents(u, profiles[i] as (typeof profiles)[number]);
    const drift = compareImages(r.objects, pinsOf(u, enabled), scope);
    const strip = <T extends { ref: unknown }>({ ref: _ref, ...rest }: T) => rest;
    out.push({
      profile: r.profile,
      kubeVersion: r.kubeVersion,
      enabled,
      deployed: drift.deployed.map(strip),
      pins: drift.pins,
      unpinned: drift.unpinned.map(strip),
      missing: drift.missing,
      notes: drift.notes,
    });
  }
  return {
    chartDir: u.chartShown,
    drift: out.some((p) => p.unpinned.length > 0 || p.missing.length > 0),
    profiles: out,
  };
}
