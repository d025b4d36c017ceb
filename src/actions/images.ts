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

/**
 * Lists deployed images per profile and compares them with the pins. Every profile is rendered
 * even when one is asked for: a pin only one profile deploys (PostgreSQL in production, say)
 * is "in other profiles" elsewhere, and only a pin no profile uses is drift.
 */
export async function images(ctx: Context, options: ImagesOptions = {}): Promise<ImagesResult> {
  const u = await openUmbrella(ctx, options);
  const shown = new Set(selectProfiles(u, options.profile).map((p) => p.name));
  const profiles = selectProfiles(u);
  const kubeVersion = options.kubeVersion ?? newestKubeVersion(u);
  const renderings = await renderMatrix(ctx, u, profiles, [kubeVersion], options);
  const scope = attributionScope(u);
  const all: ProfileImages[] = [];
  for (const [i, r] of renderings.entries()) {
    const enabled = await enabledComponents(u, profiles[i] as (typeof profiles)[number]);
    const drift = compareImages(r.objects, pinsOf(u, enabled), scope);
    const strip = <T extends { ref: unknown }>({ ref: _ref, ...rest }: T) => rest;
    all.push({
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
  const out = crossProfile(all).filter((p) => shown.has(p.profile));
  return {
    chartDir: u.chartShown,
    drift: out.some((p) => p.unpinned.length > 0 || p.missing.length > 0),
    profiles: out,
  };
}

/** Marks a pin missing from one profile but used by another as used elsewhere, not drift. */
function crossProfile(all: ProfileImages[]): ProfileImages[] {
  const usedIn = new Map<string, string[]>();
  for (const p of all) {
    for (const s of p.pins) {
      if (s.status === "missing" || s.status === "disabled" || s.status === "elsewhere") continue;
      const key = `${s.component}.${s.name}`;
      usedIn.set(key, [...(usedIn.get(key) ?? []), p.profile]);
    }
  }
  return all.map((p) => {
    const pins = p.pins.map((s): PinStatus => {
      const others = usedIn.get(`${s.component}.${s.name}`);
      return s.status === "missing" && others
        ? { ...s, status: "elsewhere", where: others.map((o) => `profile ${o}`) }
        : s;
    });
    return { ...p, pins, missing: pins.filter((s) => s.status === "missing") };
  });
}
