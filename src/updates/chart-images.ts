/**
 * The images a chart release names, from its own metadata, each at a location that is stable
 * across releases: the `artifacthub.io/images` annotation (by entry name), else the image
 * fields of its default values (by values path, sub-charts under `<name>/`). The value shapes
 * read are the common ones: `{registry?, repository, tag}`, `image: {name, tag}` (z2jh),
 * `image: x` beside `tag: y`, `fooImage` beside `fooTag`, and a whole `repo:tag` string under a
 * key ending in `image`. An empty tag (charts that default it to appVersion) is not an image.
 */
import { parse } from "yaml";
import type { ChartNode } from "../helm/chart-archive.js";
import { parseImageRef } from "../inspect/image-ref.js";

/** An image a chart names, and where. */
export interface ChartImage {
  /** `annotation:<name>` or the values path (`codeGen.uproot`, `rabbitmq/image`). */
  location: string;
  /** Normalised repository (`docker.io/sslhep/servicex_app`). */
  repository: string;
  tag: string;
}

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);
const tagText = (v: unknown): string | undefined =>
  (typeof v === "string" && v !== "") || typeof v === "number" ? String(v) : undefined;

function image(location: string, ref: string): ChartImage | undefined {
  if (!/:[^/]+$/.test(ref)) return undefined; // no tag written: nothing to pin
  const r = parseImageRef(ref);
  return r.tag ? { location, repository: r.name, tag: r.tag } : undefined;
}

/** Images of the `artifacthub.io/images` annotation; undefined when there is none. */
export function annotationImages(annotations: Record<string, string>): ChartImage[] | undefined {
  const text = annotations["artifacthub.io/images"];
  if (!text) return undefined;
  let list: unknown;
  try {
    list = parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((e, i) => {
    if (!isMap(e) || typeof e.image !== "string") return [];
    const found = image(`annotation:${typeof e.name === "string" ? e.name : i}`, e.image);
    return found ? [found] : [];
  });
}

function walk(v: unknown, at: string, out: ChartImage[]): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      walk(item, `${at}[${i}]`, out);
    });
    return;
  }
  if (!isMap(v)) return;
  const key = at.split(/[./]/).at(-1) ?? "";
  const push = (loc: string, ref: string) => {
    const found = image(loc, ref);
    if (found) out.push(found);
  };
  const tag = tagText(v.tag);
  if (typeof v.repository === "string" && tag) {
    const registry = typeof v.registry === "string" && v.registry ? `${v.registry}/` : "";
    push(at, `${registry}${v.repository}:${tag}`);
  } else if (/image$/i.test(key) && typeof v.name === "string" && tag) {
    push(at, `${v.name}:${tag}`);
  }
  for (const [k, child] of Object.entries(v)) {
    const here = !at || at.endsWith("/") ? `${at}${k}` : `${at}.${k}`;
    if (typeof child === "string" && /image$/i.test(k) && child) {
      const sibling =
        k === "image" ? v.tag : v[k.replace(/image$/i, (m) => (m[0] === "I" ? "Tag" : "tag"))];
      const t = tagText(sibling);
      push(t ? here.replace(/\.?image$/i, "") || k : here, t ? `${child}:${t}` : child);
    } else {
      walk(child, here, out);
    }
  }
}

/** Images of a chart's default values and its bundled sub-charts' values. */
export function valuesImages(chart: ChartNode, prefix = ""): ChartImage[] {
  const out: ChartImage[] = [];
  walk(chart.values(), prefix, out);
  for (const sub of chart.subcharts) out.push(...valuesImages(sub, `${prefix}${sub.name}/`));
  return out;
}
