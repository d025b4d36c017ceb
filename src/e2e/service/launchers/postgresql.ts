/**
 * PostgreSQL for the service tier (Debian postgresql-15): the database server the production
 * profile names for MLflow's backend store (`backendStore.postgres.host`, a facility's
 * database), started as the `postgres` user on a free loopback port with a fresh cluster. It
 * plays the facility: it creates the database and role the profile names, and the
 * "existing" Secret the profile takes credentials from (never a literal in values), so the
 * consumer's rendered `secretKeyRef`s resolve as they would in the cluster.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { findObject, type KubeObject } from "../../../kube/objects.js";
import { handOver } from "../container-run.js";
import type { LaunchContext, Launched, Launcher } from "../launcher.js";
import { dropTo, waitForPort } from "../process.js";

const BIN = "/usr/lib/postgresql/15/bin";

// biome-ignore lint/suspicious/noExplicitAny: rendered objects are loose data.
type Loose = any;

/** What a consumer's rendered configuration asks of the database (MLflow's, production). */
export interface DatabaseWanted {
  service: string;
  port: number;
  database: string;
  secret: { name: string; usernameKey: string; passwordKey: string };
}

/** MLflow's database as its rendered ConfigMap and Deployment name it, if it uses PostgreSQL. */
export function mlflowDatabase(objects: KubeObject[]): DatabaseWanted | undefined {
  const cm = findObject(objects, "ConfigMap", "mlflow-env-configmap") as Loose;
  if (!cm?.data?.PGHOST) return undefined;
  const d = findObject(objects, "Deployment", "mlflow") as Loose;
  const env: Loose[] = d?.spec?.template?.spec?.containers?.[0]?.env ?? [];
  const ref = (n: string) => env.find((e) => e.name === n)?.valueFrom?.secretKeyRef;
  const user = ref("PGUSER");
  const password = ref("PGPASSWORD");
  if (!user || !password) return undefined;
  return {
    service: cm.data.PGHOST,
    port: Number(cm.data.PGPORT ?? 5432),
    database: cm.data.PGDATABASE,
    secret: { name: password.name, usernameKey: user.key, passwordKey: password.key },
  };
}

/** A running PostgreSQL of the tier: its loopback port and the version it reports. */
export interface LocalPostgres {
  port: number;
  version: string;
}

/**
 * Starts a PostgreSQL server with a fresh cluster in `dir` (as the `postgres` user when root:
 * initdb refuses root), superuser `user` with `password`, on a free loopback port, and creates
 * `database`. Used for the facility's database (MLflow) and for charts' own database pods
 * (ServiceX's Bitnami PostgreSQL).
 */
export async function startPostgres(
  c: LaunchContext,
  o: { name: string; dir: string; user: string; password: string; database: string },
): Promise<LocalPostgres> {
  const user = dropTo("postgres");
  const data = path.join(o.dir, "data");
  await mkdir(data, { recursive: true });
  await writeFile(path.join(o.dir, "pwfile"), o.password, { mode: 0o600 });
  await handOver(o.dir, user);
  const initdb = [
    `${BIN}/initdb`,
    "-D",
    data,
    "-U",
    o.user,
    "--pwfile",
    path.join(o.dir, "pwfile"),
    "-A",
    "scram-sha-256",
  ];
  // initdb refuses root: as root it runs as the postgres user (setpriv, util-linux).
  const argv = user
    ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", ...initdb]
    : initdb;
  await c.runner.run(argv[0] as string, argv.slice(1), {
    timeoutMs: c.timeoutMs,
    signal: c.signal,
    env: { LANG: "C.UTF-8", HOME: o.dir },
  });
  const [port] = (await c.ports(1)) as [number];
  const proc = c.start({
    name: o.name,
    file: `${BIN}/postgres`,
    args: ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", o.dir],
    env: { LANG: "C.UTF-8", PATH: `${BIN}:/usr/bin:/bin`, HOME: o.dir },
    cwd: o.dir,
    user,
  });
  await waitForPort(proc, port, c.timeoutMs, c.signal);
  await c.runner.run(
    `${BIN}/createdb`,
    ["-h", "127.0.0.1", "-p", String(port), "-U", o.user, o.database],
    { timeoutMs: 30_000, signal: c.signal, env: { PGPASSWORD: o.password } },
  );
  const version = (
    await c.runner.run(`${BIN}/postgres`, ["--version"], { timeoutMs: 10_000 })
  ).stdout.trim();
  return { port, version: /(\d+\.\d+)/.exec(version)?.[1] ?? version };
}

async function start(c: LaunchContext): Promise<Launched> {
  const want = mlflowDatabase(c.objects);
  if (!want) throw new Error("no consumer of PostgreSQL in the rendered chart");
  const username = "mlflow";
  const password = randomBytes(18).toString("base64url");
  const pg = await startPostgres(c, {
    name: "postgres",
    dir: c.dir,
    user: username,
    password,
    database: want.database,
  });
  c.services.serve({ service: want.service, port: want.port, local: pg.port });
  // The Secret a facility creates before installing (the profile names it; the chart does not render it).
  if (!findObject(c.objects, "Secret", want.secret.name)) {
    c.objects.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: want.secret.name, namespace: c.namespace },
      stringData: { [want.secret.usernameKey]: username, [want.secret.passwordKey]: password },
    });
  }
  return {
    software: [
      {
        name: "postgres (Debian postgresql-15), standing for the facility's database",
        pinned: "15.18 (scripts/tool-versions.env)",
        answered: pg.version,
        match: pg.version === "15.18",
      },
    ],
  };
}

/** See the module comment. */
export const postgresqlLauncher: Launcher = { component: "postgresql", start };
