/**
 * Helm pointed at a mirror without touching Chart.yaml. Helm resolves an HTTP dependency by
 * the configured repository whose URL equals the dependency's, reads that repository's cached
 * index (`<cache>/repository/<name>-index.yaml`) and downloads the entry's first URL, used as
 * is when absolute; with `--skip-refresh` it never fetches the index. So a fresh helm home gets
 * the upstream URLs in repositories.yaml, a cached index per repository holding only the pinned
 * entries, and those entries' URLs point at a loopback server that serves the mirror's archives.
 * OCI dependencies cannot be redirected this way: mirrors serve HTTP chart repositories only.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import type { Context } from "../context.js";
import { type Diagnostic, InputError } from "../errors.js";
import { formatIndex } from "../helm/index-file.js";
import { type HttpRepository, httpRepositories } from "../helm/repositories.js";
import type { Umbrella } from "../helm/umbrella.js";
import { type Helm, type HelmMajor, openHelm } from "../tools/helm.js";
import type { Mirror } from "./mirror-file.js";
import { type MirrorChart, MirrorResolver } from "./resolve.js";
import { type FileServer, serveFiles } from "./serve.js";

/** A helm whose repositories are answered from a mirror until `close()`. */
export interface MirroredHelm {
  helm: Helm;
  repositories: HttpRepository[];
  /** Every HTTP chart of the umbrella, resolved in the mirror. */
  charts: MirrorChart[];
  /** Stops the server and removes the private helm home. */
  close(): Promise<void>;
}

function pinnedAt(u: Umbrella, component: string, message: string): Diagnostic {
  const p = ["components", component, "chart", "repository"];
  return { position: u.loaded.document.locate(p), path: p.join("."), message };
}

/**
 * Refuses OCI components: helm pulls them from their registry, which a mirror cannot answer.
 * `what` completes "failed to …", e.g. "use the mirror m for charts/x".
 */
export function refuseOciCharts(u: Umbrella, what: string): void {
  const oci = u.sources.filter((s) => s.kind === "oci");
  if (oci.length === 0) return;
  const list = oci.map(
    (s) => `component "${s.component}" (chart ${s.chart} ${s.version} from ${s.location})`,
  );
  throw new InputError(
    `failed to ${what}: ${list.join(", ")} ${oci.length > 1 ? "are OCI charts" : "is an OCI chart"}, and mirrors serve HTTP chart repositories only (docs/mirrors.md); build without a mirror, or pin ${oci.length > 1 ? "those charts" : "that chart"} from an HTTP repository`,
    oci.map((s) => pinnedAt(u, s.component, "an OCI chart: mirrors do not serve OCI")),
  );
}

/** Resolves every HTTP chart; all that fail are reported together. */
async function resolveAll(u: Umbrella, mirror: Mirror): Promise<MirrorChart[]> {
  const resolver = new MirrorResolver(mirror);
  const charts: MirrorChart[] = [];
  const failures: { component: string; error: InputError }[] = [];
  for (const s of u.sources.filter((x) => x.kind === "http")) {
    const pin = {
      component: s.component,
      repository: s.location,
      chart: s.chart,
      version: s.version,
    };
    try {
      charts.push(await resolver.resolve(pin));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      failures.push({ component: s.component, error: err });
    }
  }
  if (failures.length === 0) return charts;
  const diagnostics = failures.map((f) => pinnedAt(u, f.component, "pinned here"));
  const message =
    failures.length === 1
      ? (failures[0]?.error.message ?? "")
      : `failed to resolve ${failures.length} charts in the mirror ${mirror.shown}:\n${failures.map((f) => `  - ${f.error.message}`).join("\n")}`;
  throw new InputError(message, diagnostics);
}

/** Writes repositories.yaml and one reduced cached index per repository into a helm home. */
async function writeHome(
  home: string,
  repositories: HttpRepository[],
  charts: MirrorChart[],
  server: FileServer,
  urlPath: (c: MirrorChart) => string,
): Promise<void> {
  const config = path.join(home, "config");
  const cache = path.join(home, "cache", "repository");
  await mkdir(config, { recursive: true });
  await mkdir(cache, { recursive: true });
  const list = repositories.map((r) => ({ name: r.name, url: r.url }));
  await writeFile(
    path.join(config, "repositories.yaml"),
    stringify({ apiVersion: "", repositories: list }),
  );
  for (const r of repositories) {
    const entries = charts
      .filter((c) => r.components.includes(c.component))
      .map((c) => ({ ...c.entry, urls: [`${server.url}${urlPath(c)}`], digest: c.sha256 }));
    await writeFile(path.join(cache, `${r.name}-index.yaml`), formatIndex(entries));
  }
}

/** Resolves the umbrella's HTTP charts in `mirror` and opens a helm that fetches them from it. */
export async function openMirroredHelm(
  ctx: Context,
  u: Umbrella,
  mirror: Mirror,
  major: HelmMajor,
): Promise<MirroredHelm> {
  refuseOciCharts(u, `use the mirror ${mirror.shown} for ${u.chartShown}`);
  const charts = await resolveAll(u, mirror);
  const repositories = httpRepositories(u.sources);
  const repoOf = (c: MirrorChart) => repositories.find((r) => r.components.includes(c.component));
  const urlPath = (c: MirrorChart) =>
    `/${encodeURIComponent(repoOf(c)?.name ?? "")}/${encodeURIComponent(path.basename(c.archive))}`;
  const home = await mkdtemp(path.join(os.tmpdir(), "shoppe-helm-mirror-"));
  let server: FileServer | undefined;
  const close = async () => {
    await server?.close();
    await rm(home, { recursive: true, force: true });
  };
  try {
    server = await serveFiles(new Map(charts.map((c) => [urlPath(c), c.archive])));
    ctx.logger.debug(
      `serving ${charts.length} charts of the mirror ${mirror.shown} at ${server.url}`,
    );
    await writeHome(home, repositories, charts, server, urlPath);
    return { helm: openHelm(ctx, major, home), repositories, charts, close };
  } catch (err) {
    await close();
    throw err;
  }
}
