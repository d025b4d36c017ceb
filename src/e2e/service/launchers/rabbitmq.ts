/**
 * RabbitMQ for the service tier: Debian's rabbitmq-server runs a chart's Bitnami RabbitMQ pod
 * (ServiceX's message broker) as a local process, as the `rabbitmq` user when root: its
 * rendered `rabbitmq.conf` (the config Secret the pod mounts) with what the Bitnami image adds
 * at start (the password of RABBITMQ_PASSWORD), the user, password and Erlang cookie of the
 * pod's environment, a data directory of its own, and listeners on free loopback ports (AMQP,
 * Erlang distribution, and an epmd of its own, so nothing outlives the tier). Kubernetes peer
 * discovery (`cluster_formation.*`, a cluster of one pod here) and the pod's plugins
 * (management, k8s peer discovery, LDAP) are left out.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { handOver } from "../container-run.js";
import type { LaunchContext } from "../launcher.js";
import { dropTo, waitForPort } from "../process.js";
import { renderedContainer } from "../rendered.js";

const BIN = "/usr/lib/rabbitmq/bin";

/** A running RabbitMQ: its AMQP port and the version it reported. */
export interface LocalRabbitmq {
  port: number;
  version: string | undefined;
  user: string;
}

/** The pod's rabbitmq.conf for one local node: peer discovery out, password and listener in. */
export function localRabbitConf(rendered: string, password: string, port: number): string {
  const kept = rendered
    .split("\n")
    .filter((l) => !/^\s*cluster_formation\./.test(l) && !/^\s*cluster_partition_handling/.test(l));
  return [
    ...kept,
    "## Added by shoppe's service tier: what the Bitnami image adds at start, and loopback only.",
    `default_pass = ${password}`,
    `listeners.tcp.default = 127.0.0.1:${port}`,
    "",
  ].join("\n");
}

/** Starts the RabbitMQ of StatefulSet `workload`, container `rabbitmq`, in `dir`. */
export async function startRabbitmq(
  c: LaunchContext,
  o: { workload: string; dir: string },
): Promise<LocalRabbitmq> {
  const rc = renderedContainer(c.objects, "StatefulSet", o.workload, "rabbitmq", {
    "metadata.namespace": c.namespace,
    "metadata.name": `${o.workload}-0`,
    "status.podIP": "127.0.0.1",
  });
  const conf = rc.mounts.flatMap((m) => [...(m.files ?? [])]).find(([f]) => f === "rabbitmq.conf");
  if (!conf) throw new Error(`StatefulSet ${o.workload} mounts no rabbitmq.conf`);
  const user = rc.env.RABBITMQ_USERNAME ?? "user";
  const password = rc.env.RABBITMQ_PASSWORD;
  if (!password) throw new Error(`StatefulSet ${o.workload} sets no RABBITMQ_PASSWORD`);
  const [amqp, dist, epmd] = (await c.ports(3)) as [number, number, number];
  const home = path.join(o.dir, "home");
  await mkdir(home, { recursive: true });
  const files = {
    conf: path.join(o.dir, "rabbitmq.conf"),
    plugins: path.join(o.dir, "enabled_plugins"),
    cookie: path.join(home, ".erlang.cookie"),
  };
  await writeFile(files.conf, localRabbitConf(conf[1], password, amqp));
  await writeFile(files.plugins, "[].\n");
  await writeFile(files.cookie, rc.env.RABBITMQ_ERL_COOKIE ?? "shoppe-service-tier", {
    mode: 0o400,
  });
  const runAs = dropTo("rabbitmq");
  await handOver(o.dir, runAs);
  const env = {
    PATH: `${BIN}:/usr/bin:/bin`,
    HOME: home,
    LANG: "C.UTF-8",
    ERL_EPMD_ADDRESS: "127.0.0.1",
    ERL_EPMD_PORT: String(epmd),
  };
  const epmdProc = c.start({
    name: "epmd",
    file: "/usr/bin/epmd",
    args: ["-port", String(epmd), "-address", "127.0.0.1"],
    env,
    cwd: o.dir,
    user: runAs,
  });
  await waitForPort(epmdProc, epmd, c.timeoutMs, c.signal);
  const proc = c.start({
    name: "rabbitmq",
    file: `${BIN}/rabbitmq-server`,
    args: [],
    env: {
      ...env,
      RABBITMQ_CONFIG_FILE: files.conf,
      RABBITMQ_ENABLED_PLUGINS_FILE: files.plugins,
      RABBITMQ_MNESIA_BASE: path.join(o.dir, "mnesia"),
      RABBITMQ_LOG_BASE: path.join(o.dir, "log"),
      RABBITMQ_LOGS: "-",
      RABBITMQ_NODENAME: "rabbit@localhost",
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(amqp),
      RABBITMQ_DIST_PORT: String(dist),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
    },
    cwd: o.dir,
    user: runAs,
  });
  await waitForPort(proc, amqp, c.timeoutMs, c.signal);
  const log = await readFile(proc.spec.logFile, "utf8").catch(() => "");
  return { port: amqp, version: /Starting RabbitMQ (\d+\.\d+\.\d+)/.exec(log)?.[1], user };
}
