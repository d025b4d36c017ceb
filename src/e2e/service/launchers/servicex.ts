/**
 * ServiceX in the service tier. The real API server (`servicex_app`, checked out at the tag the
 * chart deploys, `servicex-source.ts`; its Python dependencies from PyPI at the tag's lock,
 * `.tools/venv/servicex`) runs the rendered app Deployment: its environment and the `app.conf`
 * ConfigMap it mounts (APP_CONFIG_FILE), started the way its image's boot.sh does (migrations
 * unless SQLite, then gunicorn). What it talks to runs from the rendered chart too:
 * - RabbitMQ: Debian's rabbitmq-server with the Bitnami pod's configuration (`rabbitmq.ts`);
 * - PostgreSQL, when the profile enables the chart's database: Debian's PostgreSQL with the
 *   Bitnami pod's database and password;
 * - the raw-uproot code generator (the checked-out source, `.tools/venv/servicex-codegen`);
 * - the Kubernetes API the app creates transformers through: the tier's kwok cluster
 *   (`kubernetes.ts`), with the chart's ServiceAccount and Roles (`servicex-kube.ts`).
 * Stand-ins, recorded as such: moto's S3 server for MinIO, and the transformer pods, which
 * kwok simulates. Addresses of other Services in app.conf are moved to their loopback ports.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { podSpecOf } from "../../../kube/objects.js";
import { httpCall, jsonOf } from "../../access/http.js";
import { baseEnv, prepareFs, relocate } from "../container-run.js";
import type { LaunchContext, Launched, Launcher, SoftwareRecord } from "../launcher.js";
import { waitForPort, waitUntil } from "../process.js";
import { dataOf, renderedContainer } from "../rendered.js";
import { startPostgres } from "./postgresql.js";
import { startRabbitmq } from "./rabbitmq.js";
import { bootGunicorn, localGunicorn } from "./servicex-boot.js";
import { serviceAccountKubeconfig } from "./servicex-kube.js";
import { imageTag, type ServicexSource, servicexSource } from "./servicex-source.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered objects are loose data.
type Loose = any;

/** The rendered Services and workloads of the ServiceX chart, by their release-prefixed names. */
export function servicexNames(release: string) {
  return {
    app: `${release}-servicex-app`,
    rabbitmq: `${release}-rabbitmq`,
    minio: `${release}-minio`,
    postgresql: `${release}-postgresql`,
    codegen: `${release}-code-gen-uproot-raw`,
  };
}

const TOOLS = ["servicex-gunicorn", "servicex-flask", "servicex-codegen-gunicorn", "moto_server"];

/** The Bitnami PostgreSQL pod's database, when the chart renders one (`postgres.enabled`). */
async function startDatabase(c: LaunchContext, workload: string) {
  const sts = c.objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === workload);
  if (!sts) return undefined;
  const rc = renderedContainer(c.objects, "StatefulSet", workload, "postgresql", {
    "metadata.namespace": c.namespace,
  });
  const pg = await startPostgres(c, {
    name: "postgresql",
    dir: path.join(c.dir, "postgresql"),
    user: rc.env.POSTGRES_USER ?? "postgres",
    password: rc.env.POSTGRES_PASSWORD ?? "",
    database: rc.env.POSTGRES_DB ?? "postgres",
  });
  return { ...pg, image: rc.image };
}

/** The stand-in for MinIO: moto's S3 server on a loopback port. */
async function startS3(c: LaunchContext, moto: string) {
  const [port] = (await c.ports(1)) as [number];
  const proc = c.start({
    name: "moto-s3",
    file: moto,
    args: ["-H", "127.0.0.1", "-p", String(port)],
    env: baseEnv(c.dir),
    cwd: c.dir,
  });
  await waitForPort(proc, port, c.timeoutMs, c.signal);
  // The version moto's own package reports, through the interpreter its script names.
  const python = (await readFile(moto, "utf8")).split("\n")[0]?.replace(/^#!/, "").trim();
  const version = python
    ? (
        await c.runner
          .run(python, ["-c", "import moto; print(moto.__version__)"], { timeoutMs: 30_000 })
          .catch(() => undefined)
      )?.stdout.trim()
    : undefined;
  return { port, version };
}

/** The raw-uproot code generator: its image's boot.sh command line, in its source directory. */
async function startCodegen(c: LaunchContext, src: ServicexSource, workload: string, bin: string) {
  const rc = renderedContainer(c.objects, "Deployment", workload, workload);
  const home = path.join(src.dir, "code_generator_raw_uproot");
  const [port] = (await c.ports(1)) as [number];
  const argv = localGunicorn(await bootGunicorn(path.join(home, "boot.sh")), {
    binary: bin,
    port,
    logDir: c.dir,
  });
  const proc = c.start({
    name: "code-gen-uproot-raw",
    file: argv[0] as string,
    args: argv.slice(1),
    env: {
      ...baseEnv(c.dir),
      ...rc.env,
      // The image's ENV and WORKDIR (/home/servicex), moved to the checked-out source: the
      // translator reads its template and capabilities from these two variables.
      CODEGEN_CONFIG_FILE: path.join(home, "app.conf"),
      TEMPLATE_PATH: path.join(home, "servicex", "templates", "transform_single_file.py"),
      CAPABILITIES_PATH: path.join(home, "transformer_capabilities.json"),
    },
    cwd: home,
  });
  await waitForPort(proc, port, c.timeoutMs, c.signal);
  return { port, image: rc.image };
}

async function start(c: LaunchContext): Promise<Launched> {
  const tools = TOOLS.map((t) => c.tool(t));
  if (tools.some((t) => t === undefined))
    throw new Error("ServiceX is not installed: run scripts/install-tools servicex");
  const [gunicorn, flask, codegenGunicorn, moto] = tools as [string, string, string, string];
  const n = servicexNames(c.release);
  const fields = { "metadata.namespace": c.namespace };
  const app = renderedContainer(c.objects, "Deployment", n.app, n.app, fields);
  const deployment = c.objects.find((o) => o.kind === "Deployment" && o.metadata.name === n.app);
  const account = (deployment as Loose)?.spec?.template?.spec?.serviceAccountName as string;
  const src = await servicexSource(c, imageTag(app.image), c.dir);
  const [kube, rabbit, db, s3, codegen] = await Promise.all([
    c.after("kubernetes"),
    startRabbitmq(c, { workload: n.rabbitmq, dir: path.join(c.dir, "rabbitmq") }),
    startDatabase(c, n.postgresql),
    startS3(c, moto),
    startCodegen(c, src, n.codegen, codegenGunicorn),
  ]);
  c.services.serve({ service: n.rabbitmq, port: 5672, local: rabbit.port });
  c.services.serve({ service: n.minio, port: 9000, local: s3.port });
  if (db) c.services.serve({ service: n.postgresql, port: 5432, local: db.port });
  c.services.serve({ service: n.codegen, port: 8000, local: codegen.port });

  // The pod's volumes (app.conf), its addresses of the services above moved to loopback.
  const base = path.join(c.dir, "app");
  const map = await prepareFs(app, base);
  const confFile = relocate(app.env.APP_CONFIG_FILE ?? "/opt/servicex/app.conf", map);
  const rendered = await readFile(confFile, "utf8");
  const conf = c.services.localize(rendered, [n.rabbitmq, n.minio, n.postgresql, n.codegen]);
  await writeFile(confFile, conf);
  const kubeconfig = path.join(base, "kubeconfig");
  const granted = await serviceAccountKubeconfig({
    adminKubeconfig: kube.data?.kubeconfig as string,
    objects: c.objects,
    namespace: c.namespace,
    account,
    file: kubeconfig,
  });
  const env: Record<string, string> = { ...baseEnv(base) };
  for (const [k, v] of Object.entries(app.env)) env[k] = relocate(v, map);
  // Logs go to LOGSTASH_HOST (the chart's default is servicex.atlas-ml.org): never off loopback.
  const logstash = env.LOGSTASH_HOST;
  if (logstash && !/^(127\.|localhost$)/.test(logstash)) {
    delete env.LOGSTASH_HOST;
    delete env.LOGSTASH_PORT;
    delete env.LOGSTASH_PROTOCOL;
  }
  Object.assign(env, {
    APP_CONFIG_FILE: confFile,
    KUBECONFIG: kubeconfig,
    // The app's own override of config keys by environment variables:
    TRANSFORMER_MANAGER_MODE: "external-kubernetes",
    TRANSFORMER_VALIDATE_DOCKER_IMAGE: "false",
  });
  const cwd = path.join(src.dir, "servicex_app");
  // boot.sh: migrations unless the database is SQLite ("SQLite doesn't handle migrations").
  if (!/sqlite:\/\//.test(conf)) {
    await c.runner.run(flask, ["db", "upgrade"], {
      cwd,
      env: { ...env, FLASK_APP: "servicex_app/app.py" },
      timeoutMs: c.timeoutMs,
      signal: c.signal,
    });
  }
  const [port] = (await c.ports(1)) as [number];
  const argv = localGunicorn(await bootGunicorn(path.join(cwd, "boot.sh")), {
    binary: gunicorn,
    port,
    logDir: base,
  });
  const proc = c.start({ name: "servicex-app", file: gunicorn, args: argv.slice(1), env, cwd });
  const info = async () => {
    const a = await httpCall(`http://127.0.0.1:${port}/servicex`, {
      signal: AbortSignal.timeout(2_000),
      lookup: () => undefined,
    });
    return a.status === 200 ? jsonOf<{ "app-version"?: string }>(a, "GET /servicex") : undefined;
  };
  // The first answer carries the version (asking again gives a busy server a second chance
  // to miss its two seconds).
  let answered: { "app-version"?: string } | undefined;
  await waitUntil(
    proc,
    `ServiceX on port ${port}`,
    async () => {
      answered = await info();
      return answered !== undefined;
    },
    c.timeoutMs,
    c.signal,
  );
  c.services.serve({ service: n.app, port: 8000, local: port });
  const codeGenImages = /^CODE_GEN_IMAGES\s*=\s*(\{.*\})\s*$/m.exec(rendered)?.[1];
  c.services.setParams("servicex", {
    version: c.pinned,
    ...(codeGenImages ? { codeGenImages } : {}),
    chart: /^CHART\s*=\s*'([^']*)'/m.exec(rendered)?.[1] ?? "",
    kubeconfig: kube.data?.kubeconfig as string,
    ...(c.tool("servicex-client-python")
      ? { client: c.tool("servicex-client-python") as string }
      : {}),
  });
  return {
    software: [
      ...software(c, {
        src,
        granted,
        db,
        rabbit,
        s3,
        codegen,
        reported: answered?.["app-version"],
      }),
      ...kube.software,
    ],
  };
}

/** What answered for each part of ServiceX, stand-ins named as such. */
function software(
  c: LaunchContext,
  o: {
    src: ServicexSource;
    granted: string[];
    db: Awaited<ReturnType<typeof startDatabase>>;
    rabbit: Awaited<ReturnType<typeof startRabbitmq>>;
    s3: Awaited<ReturnType<typeof startS3>>;
    codegen: Awaited<ReturnType<typeof startCodegen>>;
    reported: string | undefined;
  },
): SoftwareRecord[] {
  const version = o.src.tag.replace(/^v/, "");
  // The image alone: no environment to resolve (the pods' fieldRefs have no local value).
  const images = (kind: string, name: string, container: string) => {
    const w = c.objects.find((o) => o.kind === kind && o.metadata.name === name);
    const spec = (w ? podSpecOf(w) : undefined) as Loose;
    const image = spec?.containers?.find((x: Loose) => x.name === container)?.image;
    if (!image) throw new Error(`the rendered chart has no ${kind} ${name} container ${container}`);
    return image as string;
  };
  const n = servicexNames(c.release);
  const minio = images("Deployment", n.minio, "minio");
  const rabbitImage = images("StatefulSet", n.rabbitmq, "rabbitmq");
  const sidecar = /TRANSFORMER_SIDECAR_IMAGE\s*=\s*"([^"]+)"/.exec(
    dataOf(c.objects, "ConfigMap", `${c.release}-flask-config`)["app.conf"] ?? "",
  )?.[1];
  return [
    {
      name: `servicex_app (ssl-hep/ServiceX ${o.src.tag} from ${o.src.from}; Python dependencies of its lock from PyPI, scripts/python/servicex)`,
      pinned: c.pinned,
      answered: version,
      match: version === c.pinned,
      note: `runs the rendered app Deployment and app.conf; its REST API reports app-version ${o.reported ?? "?"} (the image does not install servicex_app as a package either); Docker Hub image validation off (TRANSFORMER_VALIDATE_DOCKER_IMAGE=false: no network), logs not shipped to the chart's logstash host, in-cluster Kubernetes credentials replaced by a token of its ServiceAccount (${o.granted.join(", ")}); DID finders and the other five code generators not run (a file-list request needs neither)`,
    },
    {
      name: "servicex_code_gen_raw_uproot (the same checkout; servicex-code-gen-lib from PyPI, scripts/python/servicex-codegen)",
      pinned: imageTag(o.codegen.image).replace(/^v/, ""),
      answered: version,
      match: `v${version}` === imageTag(o.codegen.image),
    },
    {
      name: "rabbitmq-server (Debian), for the chart's Bitnami RabbitMQ",
      pinned: `${imageTag(rabbitImage).split("-")[0]} (${rabbitImage})`,
      answered: o.rabbit.version,
      match: o.rabbit.version === imageTag(rabbitImage).split("-")[0],
      note: "Debian bookworm packages RabbitMQ 3.10; the chart's image runs 3.11",
    },
    ...(o.db
      ? [
          {
            name: "postgres (Debian postgresql-15), for the chart's Bitnami PostgreSQL",
            pinned: `${imageTag(o.db.image).split("-")[0]} (${o.db.image})`,
            answered: o.db.version,
            match: o.db.version === imageTag(o.db.image).split("-")[0],
            note: "Debian bookworm packages PostgreSQL 15; the chart's image runs 14",
          },
        ]
      : []),
    {
      name: "moto S3 server (PyPI moto[server], scripts/python/moto)",
      pinned: `${imageTag(minio).split("-")[0]} (MinIO, ${minio})`,
      answered: o.s3.version,
      match: false,
      standIn:
        "MinIO's server is published neither on PyPI nor in Debian, and the Go module proxy does not serve its pinned release: moto's S3-compatible server answers for the object store",
    },
    {
      name: "transformers (Deployments the app creates through the Kubernetes API)",
      pinned: sidecar ?? "sslhep/servicex_sidecar_transformer",
      match: false,
      standIn:
        "the tier's kwok cluster accepts and reconciles the transformer Deployments, but their pods are simulated: no transformer runs, so no file is transformed or delivered",
    },
  ];
}

/** See the module comment. */
export const servicexLauncher: Launcher = { component: "servicex", start };
