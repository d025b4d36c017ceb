/**
 * Triton in the service tier: the real Triton Inference Server that PyTriton bundles (PyPI
 * `nvidia-pytriton`, `.tools/bin/tritonserver`; it serves on CPU) runs the chart's own pod:
 * the init container that prepares the model repository, then `tritonserver` with the chart's
 * arguments, its ports moved to loopback. PyTriton 0.7.0 bundles Triton 2.51.0, older than the
 * pinned 2.71.0: the results record that mismatch.
 */
import path from "node:path";
import { httpCall, jsonOf } from "../../access/http.js";
import { runPod } from "../container-run.js";
import type { LaunchContext, Launched, Launcher } from "../launcher.js";
import { waitUntil } from "../process.js";

/** The chart's ports by flag, and the Service port each stands for. */
const PORTS = [
  { flag: "--http-port", service: 8000, address: "--http-address" },
  { flag: "--grpc-port", service: 8001, address: "--grpc-address" },
  { flag: "--metrics-port", service: 8002, address: "--metrics-address" },
];

/** The chart's argv with its ports moved to `local` (by flag) and every listener on loopback. */
export function localArgs(
  argv: string[],
  tritonserver: string,
  local: Map<string, number>,
): string[] {
  const [, ...rest] = argv;
  const moved = rest.map((a) => {
    const flag = a.split("=")[0] as string;
    return local.has(flag) ? `${flag}=${local.get(flag)}` : a;
  });
  return [tritonserver, ...moved, ...PORTS.map((p) => `${p.address}=127.0.0.1`)];
}

async function start(c: LaunchContext): Promise<Launched> {
  const tritonserver = c.tool("tritonserver");
  if (!tritonserver)
    throw new Error("tritonserver is not installed: run scripts/install-tools triton");
  const ports = await c.ports(PORTS.length);
  const local = new Map(PORTS.map((p, i) => [p.flag, ports[i] as number]));
  const http = local.get("--http-port") as number;
  const { proc } = await runPod(c, {
    name: "triton",
    kind: "Deployment",
    workload: "triton",
    container: "tritonserver",
    argv: (argv) => localArgs(argv, tritonserver, local),
    pathDirs: [path.dirname(tritonserver)],
  });
  const meta = async () => {
    const a = await httpCall(`http://127.0.0.1:${http}/v2`, {
      signal: AbortSignal.timeout(2_000),
      lookup: () => undefined,
    });
    return a.status === 200 ? jsonOf<{ name: string; version: string }>(a, "GET /v2") : undefined;
  };
  // The first answer carries the version: asking again would only give a busy server a
  // second chance to miss its two seconds.
  let answered: string | undefined;
  await waitUntil(
    proc,
    `Triton on port ${http}`,
    async () => {
      answered = (await meta())?.version;
      return answered !== undefined;
    },
    c.timeoutMs,
    c.signal,
  );
  for (const [i, p] of PORTS.entries()) {
    c.services.serve({ service: "triton", port: p.service, local: ports[i] as number });
  }
  return {
    software: [
      {
        name: "tritonserver (the Triton Inference Server PyPI nvidia-pytriton 0.7.0 bundles)",
        pinned: c.pinned,
        answered,
        match: answered === c.pinned,
        ...(answered === c.pinned
          ? {}
          : {
              note: `PyTriton 0.7.0, the newest on PyPI, bundles Triton ${answered ?? "?"}; no PyPI package bundles ${c.pinned}`,
            }),
      },
    ],
  };
}

/** See the module comment. */
export const tritonLauncher: Launcher = { component: "triton", start };
