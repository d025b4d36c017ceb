/**
 * `shoppe chart deps`: `helm dependency build|update` of the umbrella on a staged copy, from
 * the chart repositories of stack.yaml or, with a mirror, from a local mirror of them
 * (src/mirror/mirror-helm.ts). After helm, every archive must bundle its own dependencies, and
 * `.shoppe-deps.json` records where each came from; only then are Chart.lock, charts/ and the
 * record swapped in. A failure or an interrupt leaves the chart byte for byte as it was, and only
 * a chart directory `shoppe render` wrote is ever written (its marker; src/fsx/owned-dir.ts).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { RENDER_OWNER } from "../chart/writer.js";
import type { Context } from "../context.js";
import { CommandError, InterruptedError } from "../errors.js";
import { requireOwnedDir } from "../fsx/owned-dir.js";
import { type DependencyOrigin, inspectBuiltDependencies } from "../helm/built-deps.js";
import {
  addRepositories,
  type LockedDependency,
  lockedDependencies,
  loopbackRegistriesOnly,
} from "../helm/deps.js";
import { DEPS_RECORD, formatDepsRecord } from "../helm/deps-record.js";
import { explainHelmError } from "../helm/explain.js";
import type { HttpRepository } from "../helm/repositories.js";
import { withStagedChart } from "../helm/staging.js";
import { openUmbrella, type Umbrella, type UmbrellaOptions } from "../helm/umbrella.js";
import { loadMirror } from "../mirror/mirror-file.js";
import { openMirroredHelm } from "../mirror/mirror-helm.js";
import { type Helm, type HelmMajor, openHelm } from "../tools/helm.js";

/** Options of `chart deps`. */
export interface ChartDepsOptions extends UmbrellaOptions {
  /** Re-resolve dependencies and rewrite Chart.lock (`helm dependency update`). */
  update?: boolean;
  /** Fetch OCI charts over plain HTTP; default: on when every OCI registry is on loopback. */
  plainHttp?: boolean;
  major?: HelmMajor;
  /** Aborting stops helm and removes the staged copy; the chart stays as it was. */
  signal?: AbortSignal;
  /** A mirror directory (absolute, or relative to the project root) serving the HTTP charts. */
  mirror?: string;
}

export type { LockedDependency };

/** An archive used in place of the published chart, and why (mirror.yaml `substitutes`). */
export interface Substitution {
  component: string;
  chart: string;
  version: string;
  reason: string;
  /** The archive, relative to the mirror. */
  archive: string;
}

/** What `chart deps` did. */
export interface ChartDepsResult {
  chartDir: string;
  mode: "build" | "update";
  repositories: HttpRepository[];
  plainHttp: boolean;
  /** The mirror the HTTP charts came from, as given; absent without one. */
  mirror?: string;
  /** Chart.lock's digest. */
  lockDigest: string | undefined;
  dependencies: LockedDependency[];
  /** Archives that are declared substitutes rather than the published charts. */
  substitutions: Substitution[];
}

/** Where helm gets the charts for one run. */
interface DependencySource {
  helm: Helm;
  repositories: HttpRepository[];
  origins: Map<string, DependencyOrigin>;
  substitutions: Substitution[];
  close(): Promise<void>;
}

/** The repositories of stack.yaml, added to the shared private helm home. */
async function upstreamSource(
  ctx: Context,
  u: Umbrella,
  major: HelmMajor,
): Promise<DependencySource> {
  const helm = openHelm(ctx, major);
  const repositories = await addRepositories(helm, u);
  return { helm, repositories, origins: new Map(), substitutions: [], close: async () => {} };
}

/** A fresh helm home whose repositories are answered from the mirror. */
async function mirrorSource(
  ctx: Context,
  u: Umbrella,
  mirrorDir: string,
  major: HelmMajor,
): Promise<DependencySource> {
  const mirror = await loadMirror(path.resolve(ctx.root, mirrorDir), mirrorDir);
  const m = await openMirroredHelm(ctx, u, mirror, major);
  const origins = new Map<string, DependencyOrigin>();
  const substitutions: Substitution[] = [];
  for (const c of m.charts) {
    origins.set(c.component, {
      source: "mirror",
      repository: c.repository,
      mirrorFolder: c.folder,
      ...(c.substitute ? { substitute: c.substitute } : {}),
    });
    if (c.substitute) {
      const { component, chart, version } = c;
      substitutions.push({
        component,
        chart,
        version,
        reason: c.substitute,
        archive: c.archivePath,
      });
    }
  }
  return { helm: m.helm, repositories: m.repositories, origins, substitutions, close: m.close };
}

/** `helm dependency build|update` of the umbrella, staged so a failure changes nothing. */
export async function chartDeps(
  ctx: Context,
  options: ChartDepsOptions = {},
): Promise<ChartDepsResult> {
  const u = await openUmbrella(ctx, options);
  // Chart.lock and charts/ are written only into a chart render wrote, never a first-party one.
  await requireOwnedDir(u.chartDir, RENDER_OWNER, {
    root: ctx.root,
    shown: u.chartShown,
    verb: "build the dependencies of",
    hint: `dependencies are built only in a chart shoppe render wrote (it holds ${RENDER_OWNER.marker}); run shoppe render first, or pass --chart-dir of a chart it rendered`,
  });
  const major = options.major ?? "v4";
  const source = options.mirror
    ? await mirrorSource(ctx, u, options.mirror, major)
    : await upstreamSource(ctx, u, major);
  const plainHttp = options.mirror ? false : (options.plainHttp ?? loopbackRegistriesOnly(u));
  if (plainHttp) ctx.logger.debug("fetching OCI charts over plain HTTP");
  const mode = options.update ? "update" : "build";
  const from = options.mirror ? ` from the mirror ${options.mirror}` : "";
  const step = ctx.progress.start(`helm dependency ${mode} ${u.chartShown}${from}`);
  try {
    await withStagedChart(
      u.chartDir,
      ["charts", "Chart.lock", DEPS_RECORD],
      async (staged) => {
        // The repositories were just added (or written from the mirror): no refresh.
        await source.helm.dependency(mode, staged, {
          plainHttp,
          skipRefresh: true,
          signal: options.signal,
        });
        const record = await inspectBuiltDependencies(u, staged, source.origins);
        await writeFile(path.join(staged, DEPS_RECORD), formatDepsRecord(record));
      },
      options.signal,
    );
  } catch (err) {
    step.fail();
    if (options.signal?.aborted) {
      throw InterruptedError.of(
        options.signal,
        (received) =>
          `failed to ${mode} the dependencies of ${u.chartShown}: interrupted (${received}); Chart.lock and charts/ are unchanged`,
      );
    }
    if (!(err instanceof CommandError)) throw err;
    throw explainHelmError(err, {
      verb: `${mode} the dependencies of ${u.chartShown}`,
      umbrella: u,
    });
  } finally {
    await source.close();
  }
  const locked = await lockedDependencies(u);
  step.succeed(`${locked.deps.length} charts`);
  for (const s of source.substitutions) {
    ctx.logger.warn(
      `${s.component}: ${s.chart} ${s.version} is a substitute, not the published chart: ${s.reason}`,
    );
  }
  return {
    chartDir: u.chartShown,
    mode,
    repositories: source.repositories,
    plainHttp,
    ...(options.mirror ? { mirror: options.mirror } : {}),
    lockDigest: locked.digest,
    dependencies: locked.deps,
    substitutions: source.substitutions,
  };
}
