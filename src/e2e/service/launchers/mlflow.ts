/**
 * MLflow in the service tier: the tracking server from PyPI at the chart's appVersion (the
 * `.tools/venv/mlflow` environment, scripts/python/mlflow) runs the chart's own `mlflow server`
 * command line and environment (MLFLOW_SERVER_ALLOWED_HOSTS from its ConfigMap, the Flask
 * secret from its Secret), bound to loopback on a free port. Its backend store is what the
 * profile renders: a SQLite file in the pod's `/tmp` emptyDir in `ci`, the PostgreSQL the
 * production profile names (started by the tier) in `production`.
 */
import path from "node:path";
import { httpCall } from "../../access/http.js";
import { runPod } from "../container-run.js";
import type { LaunchContext, Launched, Launcher } from "../launcher.js";
import { waitUntil } from "../process.js";
import { mlflowDatabase } from "./postgresql.js";

/** The Deployment and container the chart renders (fullnameOverride: mlflow). */
const WORKLOAD = "mlflow";

/** The chart's args with the listen address moved to loopback and the port to `port`. */
export function localArgs(argv: string[], port: number, mlflow: string): string[] {
  const [, ...rest] = argv;
  return [
    mlflow,
    ...rest.map((a) =>
      a.startsWith("--host=") ? "--host=127.0.0.1" : a.startsWith("--port=") ? `--port=${port}` : a,
    ),
  ];
}

async function start(c: LaunchContext): Promise<Launched> {
  const mlflow = c.tool("mlflow");
  if (!mlflow) throw new Error("mlflow is not installed: run scripts/install-tools mlflow");
  // The production profile's backend store: the database (and the Secret a facility creates)
  // comes first; the rendered PGHOST/PGPORT then point at its loopback port.
  const db = mlflowDatabase(c.objects);
  if (db) await c.after("postgresql");
  const dbPort = db ? c.services.localPort(db.service, db.port) : undefined;
  const [port] = (await c.ports(1)) as [number];
  const { proc } = await runPod(c, {
    name: "mlflow",
    kind: "Deployment",
    workload: WORKLOAD,
    container: "mlflow",
    argv: (argv) => localArgs(argv, port, mlflow),
    ...(dbPort ? { env: { PGHOST: "127.0.0.1", PGPORT: String(dbPort) } } : {}),
    pathDirs: [path.dirname(mlflow)],
  });
  const version = async () => {
    const a = await httpCall(`http://127.0.0.1:${port}/version`, {
      signal: AbortSignal.timeout(2_000),
      lookup: () => undefined,
    });
    return a.status === 200 ? a.text.trim() : undefined;
  };
  // The first answer is the version: asking again would only give a busy server a second
  // chance to miss its two seconds.
  let answered: string | undefined;
  await waitUntil(
    proc,
    `MLflow on port ${port}`,
    async () => {
      answered = await version();
      return answered !== undefined;
    },
    c.timeoutMs,
    c.signal,
  );
  c.services.serve({ service: "mlflow", port: 5000, local: port });
  return {
    software: [
      {
        name: "mlflow (PyPI, scripts/python/mlflow)",
        pinned: c.pinned,
        answered,
        match: answered === c.pinned,
      },
    ],
  };
}

/** See the module comment. */
export const mlflowLauncher: Launcher = { component: "mlflow", start };
