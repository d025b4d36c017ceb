/**
 * XCache in the service tier: Debian's xrootd runs the xcache chart's own pod (its rendered
 * xrootd.cfg, environment and start script) as the cache, and the same chart in origin mode
 * (`charts/xcache/ci/origin-values.yaml`, its seed file copied by its own init container) as
 * the data origin a facility's cache reads from. The origin is a fixture, not a component.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { runPod } from "../container-run.js";
import type { LaunchContext, Launched, Launcher } from "../launcher.js";
import { dropTo, waitForPort } from "../process.js";
import { dataOf } from "../rendered.js";

const ORIGIN_CHART = "charts/xcache";
const ORIGIN_VALUES = "charts/xcache/ci/origin-values.yaml";

/** The XRootD version a server reports (`xrdfs … query config version`). */
export async function xrootdVersion(c: LaunchContext, port: number): Promise<string | undefined> {
  const r = await c.runner
    .run("xrdfs", [`root://127.0.0.1:${port}`, "query", "config", "version"], {
      timeoutMs: 10_000,
      signal: c.signal,
    })
    .catch(() => undefined);
  return r?.stdout.trim().replace(/^v/, "") || undefined;
}

async function start(c: LaunchContext): Promise<Launched> {
  const user = dropTo("xrootd");
  const [originPort, cachePort] = (await c.ports(2)) as [number, number];
  const originObjects = await c.renderChart(ORIGIN_CHART, {
    releaseName: "origin",
    valuesFiles: [ORIGIN_VALUES],
  });
  const origin = await runPod(c, {
    name: "origin",
    objects: originObjects,
    kind: "StatefulSet",
    workload: "xcache-origin",
    container: "xrootd",
    env: { XC_PORT: String(originPort) },
    user,
  });
  await waitForPort(origin.proc, originPort, c.timeoutMs, c.signal);
  const cache = await runPod(c, {
    name: "cache",
    kind: "StatefulSet",
    workload: "xcache",
    container: "xrootd",
    env: { XC_PORT: String(cachePort) },
    user,
  });
  await waitForPort(cache.proc, cachePort, c.timeoutMs, c.signal);
  for (const service of ["xcache", "xcache-headless"]) {
    c.services.serve({ service, port: 1094, local: cachePort });
  }
  const seeds = dataOf(originObjects, "ConfigMap", "xcache-origin");
  const [seed, content] = Object.entries(seeds).find(([k]) => k.startsWith("seed-")) ?? [];
  if (!seed || content === undefined) throw new Error("the xcache origin renders no seed file");
  c.services.setParams("xcache", {
    origin: `root://127.0.0.1:${originPort}`,
    file: `/store/${seed.replace(/^seed-/, "")}`,
    sha256: createHash("sha256").update(content).digest("hex"),
    // The cache's data volume (`oss.localroot`), where XCache keeps `<file>.cinfo`.
    cacheData: path.join(cache.volumes, "data", "data"),
  });
  const answered = await xrootdVersion(c, cachePort);
  return {
    software: [
      {
        name: "xrootd (Debian xrootd-server)",
        pinned: `${c.pinned} (OSG series of hub.opensciencegrid.org/osg-htc/xcache; its XRootD version is not pinned)`,
        answered,
        match: false,
        note: "the pin is an OSG image series, not an XRootD version: the local XRootD is Debian's, pinned in scripts/tool-versions.env",
      },
    ],
  };
}

/** See the module comment. */
export const xcacheLauncher: Launcher = { component: "xcache", start };
