/**
 * Semantic rules a schema cannot express. Each rule is named, pure over the manifest (plus
 * the file system for first-party charts) and returns diagnostics with positions; all rules
 * run, so the author sees every problem at once.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { parse as parseYaml } from "yaml";
import type { Diagnostic } from "../errors.js";
import { type DocPath, formatPath, type PositionedDocument } from "./positions.js";
import { WIRING_RULES } from "./rules-wiring.js";
import { COMPONENT_ID, isLocalChart, type Stack } from "./schema.js";

/** What a rule may look at besides the manifest. */
export interface RuleContext {
  document: PositionedDocument;
  /** Directory of stack.yaml; first-party chart paths are relative to it. */
  dir: string;
}

/** A named check over the whole manifest. */
export interface Rule {
  name: string;
  check(stack: Stack, ctx: RuleContext): Diagnostic[] | Promise<Diagnostic[]>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const KUBE_VERSION = /^1\.(\d+)\.(\d+)$/;
const MOVING_TAGS = new Set([
  "latest",
  "development",
  "develop",
  "dev",
  "master",
  "main",
  "nightly",
  "edge",
  "stable",
]);
const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;
const PROFILE_NAME = /^[a-z][a-z0-9-]*$/;

function at(ctx: RuleContext, p: DocPath, message: string): Diagnostic {
  return { position: ctx.document.locate(p), path: formatPath(p), message };
}

const componentIds: Rule = {
  name: "component-ids",
  check: (stack, ctx) =>
    Object.keys(stack.components).flatMap((id) => {
      if (id === "global")
        return [
          at(ctx, ["components", id], `"global" is reserved by Helm and cannot name a component`),
        ];
      return COMPONENT_ID.test(id)
        ? []
        : [
            at(
              ctx,
              ["components", id],
              `"${id}" is not a valid component id (lowercase letters, digits and dashes, 2-40 characters)`,
            ),
          ];
    }),
};

const versions: Rule = {
  name: "semver-versions",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    if (!semver.valid(stack.release.version)) {
      out.push(
        at(ctx, ["release", "version"], `"${stack.release.version}" is not a valid version`),
      );
    }
    for (const [id, c] of Object.entries(stack.components)) {
      if (c.chart && !semver.valid(c.chart.version)) {
        out.push(
          at(
            ctx,
            ["components", id, "chart", "version"],
            `"${c.chart.version}" is not a valid version`,
          ),
        );
      }
    }
    return out;
  },
};

const images: Rule = {
  name: "images",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const names = new Map<string, number>();
      const refs = new Map<string, number>();
      c.images.forEach((img, i) => {
        const p = ["components", id, "images", i];
        if (img.digest !== undefined && !DIGEST.test(img.digest)) {
          out.push(
            at(
              ctx,
              [...p, "digest"],
              `"${img.digest}" is not a digest (sha256: followed by 64 lowercase hex digits)`,
            ),
          );
        }
        if (MOVING_TAGS.has(img.tag.toLowerCase())) {
          out.push(at(ctx, [...p, "tag"], `"${img.tag}" is a moving tag; pin a release tag`));
        }
        if (/[\s@]/.test(img.tag) || img.tag.includes(":")) {
          out.push(
            at(
              ctx,
              [...p, "tag"],
              `"${img.tag}" is not a valid tag (put a digest in the digest field)`,
            ),
          );
        }
        const prevName = names.get(img.name);
        if (prevName !== undefined) {
          out.push(
            at(ctx, [...p, "name"], `duplicate image "${img.name}" (also images[${prevName}])`),
          );
        } else names.set(img.name, i);
        const ref = `${img.repository}:${img.tag}`;
        const prevRef = refs.get(ref);
        if (prevRef !== undefined) {
          out.push(
            at(ctx, [...p, "repository"], `duplicate image ${ref} (also images[${prevRef}])`),
          );
        } else refs.set(ref, i);
      });
    }
    return out;
  },
};

const kubernetes: Rule = {
  name: "kubernetes-versions",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, number>();
    stack.kubernetes.versions.forEach((k, i) => {
      const p = ["kubernetes", "versions", i];
      if (!KUBE_VERSION.test(k.version)) {
        out.push(
          at(
            ctx,
            [...p, "version"],
            `"${k.version}" is not a Kubernetes version (expected MAJOR.MINOR.PATCH such as 1.35.4, no leading v)`,
          ),
        );
        return;
      }
      const minor = k.version.split(".").slice(0, 2).join(".");
      const prev = seen.get(minor);
      if (prev !== undefined)
        out.push(
          at(
            ctx,
            [...p, "version"],
            `Kubernetes ${minor} is listed twice (also versions[${prev}])`,
          ),
        );
      else seen.set(minor, i);
      if (k.kindNodeImage !== undefined) {
        const m = /^kindest\/node:v([\d.]+)@(sha256:[a-f0-9]{64})$/.exec(k.kindNodeImage);
        if (!m) {
          out.push(
            at(
              ctx,
              [...p, "kindNodeImage"],
              `"${k.kindNodeImage}" must be kindest/node:v<version>@sha256:<digest> (node images are pinned by digest)`,
            ),
          );
        } else if (m[1] !== k.version) {
          out.push(
            at(
              ctx,
              [...p, "kindNodeImage"],
              `node image is for v${m[1]} but the entry is for ${k.version}`,
            ),
          );
        }
      }
    });
    return out;
  },
};

const charts: Rule = {
  name: "charts",
  async check(stack, ctx) {
    const out: Diagnostic[] = [];
    for (const [id, c] of Object.entries(stack.components)) {
      const p = ["components", id, "chart"];
      if (!c.chart) {
        if (c.enabled)
          out.push(at(ctx, ["components", id], `component is enabled but has no chart`));
        continue;
      }
      if (isLocalChart(c.chart)) {
        out.push(...(await checkLocalChart(c.chart, p, ctx)));
      } else {
        const repo = c.chart.repository;
        if (!/^(https:\/\/|oci:\/\/)/.test(repo) && !LOOPBACK_HTTP.test(repo)) {
          out.push(
            at(
              ctx,
              [...p, "repository"],
              `"${repo}" must be an https:// or oci:// URL (plain http only on loopback)`,
            ),
          );
        }
      }
    }
    return out;
  },
};

async function checkLocalChart(
  chart: { path: string; name: string; version: string },
  p: DocPath,
  ctx: RuleContext,
): Promise<Diagnostic[]> {
  const file = path.join(ctx.dir, chart.path, "Chart.yaml");
  let meta: { name?: unknown; version?: unknown };
  try {
    meta = (parseYaml(await readFile(file, "utf8")) ?? {}) as typeof meta;
  } catch {
    return [
      at(
        ctx,
        [...p, "path"],
        `no chart at ${chart.path} (cannot read ${path.join(chart.path, "Chart.yaml")})`,
      ),
    ];
  }
  const out: Diagnostic[] = [];
  if (meta.name !== chart.name)
    out.push(
      at(
        ctx,
        [...p, "name"],
        `"${chart.name}" does not match the name "${String(meta.name)}" in ${chart.path}/Chart.yaml`,
      ),
    );
  if (String(meta.version) !== chart.version) {
    out.push(
      at(
        ctx,
        [...p, "version"],
        `"${chart.version}" does not match the version "${String(meta.version)}" in ${chart.path}/Chart.yaml`,
      ),
    );
  }
  return out;
}

const dependencies: Rule = {
  name: "dependencies",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const comps = stack.components;
    for (const [id, c] of Object.entries(comps)) {
      c.dependsOn.forEach((dep, i) => {
        const p = ["components", id, "dependsOn", i];
        const target = comps[dep];
        if (dep === id) out.push(at(ctx, p, `a component cannot depend on itself`));
        else if (!target)
          out.push(
            at(ctx, p, `unknown component "${dep}" (known: ${Object.keys(comps).join(", ")})`),
          );
        else if (c.enabled && !target.enabled)
          out.push(at(ctx, p, `"${id}" is enabled but depends on "${dep}", which is disabled`));
      });
    }
    const cycle = findCycle(
      Object.fromEntries(Object.entries(comps).map(([k, v]) => [k, v.dependsOn])),
    );
    if (cycle)
      out.push(
        at(
          ctx,
          ["components", cycle[0] as string, "dependsOn"],
          `dependency cycle: ${cycle.join(" → ")}`,
        ),
      );
    return out;
  },
};

/** The first dependency cycle found, as a closed path, or undefined. */
export function findCycle(graph: Record<string, string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stackPath: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done" || !(n in graph)) return undefined;
    if (state.get(n) === "visiting") return [...stackPath.slice(stackPath.indexOf(n)), n];
    state.set(n, "visiting");
    stackPath.push(n);
    for (const m of graph[n] ?? []) {
      if (m === n) continue; // reported separately as a self-dependency
      const found = visit(m);
      if (found) return found;
    }
    stackPath.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of Object.keys(graph).sort()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

const endpoints: Rule = {
  name: "endpoints",
  check(stack, ctx) {
    const out: Diagnostic[] = [];
    const envOwners = new Map<string, string>();
    for (const [id, c] of Object.entries(stack.components)) {
      const names = new Set<string>();
      c.endpoints.forEach((e, i) => {
        const p = ["components", id, "endpoints", i];
        if (names.has(e.name)) out.push(at(ctx, [...p, "name"], `duplicate endpoint "${e.name}"`));
        names.add(e.name);
        const owner = envOwners.get(e.env);
        if (owner) out.push(at(ctx, [...p, "env"], `${e.env} is already exported by ${owner}`));
        else envOwners.set(e.env, `${id}.${e.name}`);
        const unknown = [...e.url.matchAll(/\{([^}]*)\}/g)]
          .map((m) => m[1])
          .filter((v) => v !== "release" && v !== "namespace");
        if (unknown.length > 0)
          out.push(
            at(
              ctx,
              [...p, "url"],
              `unknown placeholder {${unknown[0]}} (use {release} or {namespace})`,
            ),
          );
        else if (!/^[a-z][a-z0-9+.-]*:\/\/./.test(e.url))
          out.push(at(ctx, [...p, "url"], `"${e.url}" is not a URL (scheme://host…)`));
      });
    }
    return out;
  },
};

const profiles: Rule = {
  name: "profiles",
  check: (stack, ctx) =>
    Object.keys(stack.profiles)
      .filter((n) => !PROFILE_NAME.test(n))
      .map((n) =>
        at(
          ctx,
          ["profiles", n],
          `"${n}" is not a valid profile name (lowercase letters, digits, dashes)`,
        ),
      ),
};

/** Every rule, in the order their diagnostics are reported. */
export const RULES: readonly Rule[] = [
  componentIds,
  versions,
  images,
  kubernetes,
  charts,
  dependencies,
  endpoints,
  profiles,
  ...WIRING_RULES,
];

/** Runs every rule; diagnostics are sorted by position so output reads top to bottom. */
export async function runRules(stack: Stack, ctx: RuleContext): Promise<Diagnostic[]> {
  const all = (await Promise.all(RULES.map((r) => r.check(stack, ctx)))).flat();
  return all.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.col ?? 0) - (b.position?.col ?? 0),
  );
}
