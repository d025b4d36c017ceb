/**
 * The platforms an image is published for: a multi-platform index lists them (attestation
 * entries, platform unknown/unknown, are not platforms); a single manifest's config blob names
 * its one os/architecture[/variant].
 */
import { isIndex } from "./media-types.js";
import type { OciRepository } from "./reference.js";
import type { Manifest, RegistryClient } from "./registry-client.js";

/** `os/architecture[/variant]`, as stack.yaml's `platforms` writes it. */
export function formatPlatform(p: { os?: unknown; architecture?: unknown; variant?: unknown }) {
  const parts = [p.os, p.architecture, p.variant].filter(
    (x): x is string => typeof x === "string" && x !== "",
  );
  return parts.join("/");
}

/** Platforms of an index's entries, sorted, without attestations. */
export function indexPlatforms(index: Record<string, unknown>): string[] {
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  const out = new Set<string>();
  for (const m of manifests as { platform?: Record<string, unknown> }[]) {
    const p = m?.platform;
    if (!p || p.os === "unknown" || p.architecture === "unknown") continue;
    const text = formatPlatform(p);
    if (text) out.add(text);
  }
  return [...out].sort();
}

/** The platforms `manifest` (fetched already) is published for. */
export async function platformsOf(
  client: RegistryClient,
  repo: OciRepository,
  manifest: Manifest,
): Promise<string[]> {
  if (isIndex(manifest.mediaType) || Array.isArray(manifest.json.manifests)) {
    return indexPlatforms(manifest.json);
  }
  const config = manifest.json.config as { digest?: unknown } | undefined;
  if (typeof config?.digest !== "string") return [];
  const bytes = await client.blob(repo, config.digest);
  let blob: Record<string, unknown>;
  try {
    blob = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  } catch {
    return []; // not an image config (an artefact): no platform to report
  }
  const p = formatPlatform(blob ?? {});
  return p.includes("/") ? [p] : [];
}
