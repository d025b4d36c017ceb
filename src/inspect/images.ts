/**
 * Image discovery and drift against the pins. Deployed images come from every container list
 * of every workload, each with the object and container it came from (provenance). A pinned
 * image no container runs may still be handed to something that starts pods at run time
 * (ServiceX transformers, Dask workers): if its reference appears anywhere in the rendered
 * objects it is "referenced", with where; otherwise it is missing. `helm test` pods are left
 * out: they are not part of what an install deploys.
 */
import type { KubeObject } from "../kube/objects.js";
import { objectRef } from "../kube/objects.js";
import { type AttributionScope, attribute } from "./attribution.js";
import {
  familiarImageRef,
  formatImageRef,
  type ImageRef,
  parseImageRef,
  sameImage,
} from "./image-ref.js";
import { type ContainerList, containersOf, isTestHook } from "./workloads.js";

/** Where one deployed image came from. */
export interface ImageUse {
  component: string;
  object: string;
  container: string;
  list: ContainerList;
  /** Path of the container inside the object. */
  path: string;
}

/** One deployed image with every place that deploys it. */
export interface DeployedImage {
  /** Familiar form, as people write it: `alpine:3.6`. */
  image: string;
  /** Normalised form: `docker.io/library/alpine:3.6`. */
  canonical: string;
  ref: ImageRef;
  uses: ImageUse[];
}

/** A pin of stack.yaml, the reference to look for and whether its component is enabled. */
export interface ImagePin {
  component: string;
  name: string;
  ref: ImageRef;
  enabled: boolean;
  /** What starts it at run time when the chart does not name it (stack.yaml `startedBy`). */
  startedBy?: string;
}

/** A pin and what was found for it. */
export interface PinStatus {
  component: string;
  name: string;
  image: string;
  enabled: boolean;
  /**
   * deployed by a container, referenced in the rendered config, started at run time (stack.yaml
   * `startedBy`), used only under other profiles (`elsewhere`), not found (`missing`: drift),
   * or its component is off (`disabled`).
   */
  status: "deployed" | "referenced" | "runtime" | "elsewhere" | "missing" | "disabled";
  /** Objects and paths where it was found. */
  where: string[];
}

/** Drift of one rendering against the pins. */
export interface ImageDrift {
  deployed: (DeployedImage & { pinnedBy: string[] })[];
  /** Deployed but matching no pin. */
  unpinned: DeployedImage[];
  /** Every pin with its status; `missing` ones are drift. */
  pins: PinStatus[];
  missing: PinStatus[];
  notes: string[];
}

/** Every image the rendered workloads deploy, grouped by normalised reference. */
export function deployedImages(
  objects: KubeObject[],
  scope: AttributionScope,
  notes: string[] = [],
): DeployedImage[] {
  const byRef = new Map<string, DeployedImage>();
  for (const o of objects) {
    const containers = containersOf(o);
    if (containers.length === 0) continue;
    if (isTestHook(o)) {
      notes.push(`${objectRef(o)} is a helm test hook: its images are not counted`);
      continue;
    }
    const component = attribute(o, scope).component;
    for (const c of containers) {
      if (!c.image) {
        notes.push(`${objectRef(o)} ${c.path} has no image`);
        continue;
      }
      const ref = parseImageRef(c.image);
      const canonical = formatImageRef(ref);
      const entry = byRef.get(canonical) ?? {
        image: familiarImageRef(ref),
        canonical,
        ref,
        uses: [],
      };
      entry.uses.push({
        component,
        object: objectRef(o),
        container: c.name,
        list: c.list,
        path: c.path,
      });
      byRef.set(canonical, entry);
    }
  }
  return [...byRef.values()].sort((a, b) => a.canonical.localeCompare(b.canonical));
}

/**
 * Image-like tokens in a string: `repo/name:tag`, `host:5000/x@sha256:…`. The text is split on
 * separators first and each piece checked with an anchored pattern, so the cost stays linear
 * in the text (a rendered chart holds base64 blobs of hundreds of kilobytes).
 */
function imageTokens(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(/[\s"'`,;=()<>[\]{}|\\]+/)) {
    if (IMAGE_TOKEN.test(piece)) out.push(piece);
  }
  return out;
}
const IMAGE_TOKEN = /^[a-z0-9][\w.\-/:]*(?::[\w.-]+)?(?:@[\w.\-:]+)?$/i;

/** Where each image reference appears in the objects' string values, keyed by repository. */
export type ReferenceIndex = Map<string, { ref: ImageRef; where: string }[]>;

/** One pass over every string value of the objects (config maps, env, args). */
export function referenceIndex(objects: KubeObject[]): ReferenceIndex {
  const index: ReferenceIndex = new Map();
  const visit = (value: unknown, path: string, where: string) => {
    if (typeof value === "string") {
      for (const token of imageTokens(value)) {
        if (!token.includes(":") && !token.includes("@")) continue;
        const ref = parseImageRef(token);
        const list = index.get(ref.name) ?? [];
        list.push({ ref, where: `${where} ${path}` });
        index.set(ref.name, list);
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, `${path}[${i}]`, where);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, where);
    }
  };
  for (const o of objects) {
    if (isTestHook(o)) continue;
    const { source: _source, ...body } = o;
    visit(body, "", objectRef(o));
  }
  return index;
}

/** Places in an index that mention `ref`, each once, in object order. */
export function referencesIn(index: ReferenceIndex, ref: ImageRef): string[] {
  const found = (index.get(ref.name) ?? []).filter((e) => sameImage(e.ref, ref));
  return [...new Set(found.map((e) => e.where))];
}

/** Places in the objects' string values that mention `ref` (config maps, env, args). */
export function referencesTo(objects: KubeObject[], ref: ImageRef): string[] {
  return referencesIn(referenceIndex(objects), ref);
}

/** Compares deployed images with the pins: unpinned deployments and missing pins are drift. */
export function compareImages(
  objects: KubeObject[],
  pins: ImagePin[],
  scope: AttributionScope,
): ImageDrift {
  const notes: string[] = [];
  const deployed = deployedImages(objects, scope, notes).map((d) => ({
    ...d,
    pinnedBy: pins.filter((p) => sameImage(d.ref, p.ref)).map((p) => `${p.component}.${p.name}`),
  }));
  const unpinned = deployed
    .filter((d) => d.pinnedBy.length === 0)
    .map(({ pinnedBy: _p, ...d }) => d);
  const index = referenceIndex(objects);
  const statuses = pins.map((p): PinStatus => {
    const base = {
      component: p.component,
      name: p.name,
      image: familiarImageRef(p.ref),
      enabled: p.enabled,
    };
    const uses = deployed.filter((d) => sameImage(d.ref, p.ref)).flatMap((d) => d.uses);
    if (uses.length > 0)
      return { ...base, status: "deployed", where: uses.map((u) => `${u.object} ${u.path}`) };
    if (!p.enabled) return { ...base, status: "disabled", where: [] };
    const refs = referencesIn(index, p.ref);
    if (refs.length > 0) return { ...base, status: "referenced", where: refs };
    if (p.startedBy) return { ...base, status: "runtime", where: [p.startedBy] };
    return { ...base, status: "missing", where: [] };
  });
  return {
    deployed,
    unpinned,
    pins: statuses,
    missing: statuses.filter((s) => s.status === "missing"),
    notes,
  };
}
