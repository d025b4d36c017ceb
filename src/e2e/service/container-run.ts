/**
 * Starts a rendered container as a local process: every volume it mounts becomes a directory
 * under the component's scratch directory (`fs/<mountPath>`), ConfigMap and Secret files are
 * written there, and the pod paths in its command, arguments, environment and mounted files
 * are moved to those directories; the launcher supplies what differs on loopback (ports, the
 * addresses of other Services). What runs is the chart's own command line and configuration.
 */
import { chmod, chown, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KubeObject } from "../../kube/objects.js";
import type { LaunchContext } from "./launcher.js";
import type { LocalProcess } from "./process.js";
import {
  initContainerNames,
  type RenderedContainer,
  renderedContainer,
  type VolumeMount,
} from "./rendered.js";

/** Pod path → local path, longest first. */
export type Relocation = [from: string, to: string][];

/**
 * Replaces each pod path (as a whole path prefix) by its local directory, in one pass, so a
 * local directory (under /tmp) is never relocated again by a shorter pod path (/tmp).
 */
export function relocate(text: string, map: Relocation): string {
  if (map.length === 0) return text;
  const esc = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const alternatives = map.map(([from]) => esc(from.replace(/\/+$/, ""))).join("|");
  // A path starts a word, follows `=`, `:` or a quote, or is a URI's path (`sqlite:////tmp/db`).
  const re = new RegExp(`(^|[\\s"'=:,(]|:///)(${alternatives})(?=$|[/\\s"';,)])`, "gm");
  const to = new Map(map.map(([from, local]) => [from.replace(/\/+$/, ""), local]));
  return text.replace(re, (_m, lead: string, from: string) => `${lead}${to.get(from)}`);
}

/**
 * Lays out the pod's volumes a container mounts under `base/volumes/<volume>` (ConfigMap and
 * Secret files written there, pod paths in them relocated) and returns the relocation of the
 * container's mount paths. Containers of one pod share `base`, so an init container's work
 * is there for the server, as in the pod.
 */
export async function prepareFs(rc: RenderedContainer, base: string): Promise<Relocation> {
  const local = (m: VolumeMount) =>
    path.join(base, "volumes", m.volume, ...(m.subPath ? [m.subPath] : []));
  const map: Relocation = rc.mounts
    .map((m): [string, string] => [m.mountPath.replace(/\/+$/, ""), local(m)])
    .sort((a, b) => b[0].length - a[0].length);
  for (const m of rc.mounts) {
    const dir = path.join(base, "volumes", m.volume);
    await mkdir(dir, { recursive: true });
    for (const [name, content] of m.files ?? []) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), relocate(content, map));
    }
    if (!m.files && !m.subPath) await mkdir(local(m), { recursive: true });
  }
  return map;
}

/** Hands a directory tree to the user a server runs as. */
export async function handOver(dir: string, user: { uid: number; gid: number } | undefined) {
  if (!user) return;
  await chown(dir, user.uid, user.gid);
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await handOver(p, user);
    else if (e.isFile()) await chown(p, user.uid, user.gid);
  }
}

/** The base environment of a local server: a plain PATH and a home, nothing of ours. */
export function baseEnv(home: string, extraPath: string[] = []): Record<string, string> {
  return {
    PATH: [...extraPath, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: home,
    LANG: "C.UTF-8",
  };
}

/** Starts `rc` with its relocated command line and environment (plus `env` overrides). */
export function startRendered(
  c: LaunchContext,
  rc: RenderedContainer,
  map: Relocation,
  o: {
    name: string;
    env?: Record<string, string> | undefined;
    argv?: ((argv: string[]) => string[]) | undefined;
    user?: { uid: number; gid: number } | undefined;
    cwd?: string;
    pathDirs?: string[] | undefined;
  },
): LocalProcess {
  const argv = [...rc.command, ...rc.args].map((a) => relocate(a, map));
  const final = o.argv ? o.argv(argv) : argv;
  if (final.length === 0) throw new Error(`${rc.workload} container ${rc.name} has no command`);
  const env: Record<string, string> = { ...baseEnv(c.dir, o.pathDirs) };
  for (const [k, v] of Object.entries(rc.env)) env[k] = relocate(v, map);
  Object.assign(env, o.env);
  return c.start({
    name: o.name,
    file: final[0] as string,
    args: final.slice(1),
    env,
    cwd: o.cwd ?? c.dir,
    user: o.user,
  });
}

/** Options of `runPod`. */
export interface PodRun {
  /** Names the processes and the pod's directory under the component's. */
  name: string;
  kind: string;
  workload: string;
  container: string;
  /** Environment set on every container of the pod (ports moved to loopback, addresses). */
  env?: Record<string, string>;
  user?: { uid: number; gid: number } | undefined;
  argv?: (argv: string[]) => string[];
  pathDirs?: string[];
  /** The objects to read the workload from; default the umbrella's. */
  objects?: KubeObject[];
}

/**
 * Runs a pod as the kubelet would, locally: its init containers one after another (each must
 * exit 0), then the container `container`, all sharing the pod's volumes.
 */
export async function runPod(
  c: LaunchContext,
  o: PodRun,
): Promise<{ proc: LocalProcess; volumes: string }> {
  const objects = o.objects ?? c.objects;
  const base = path.join(c.dir, o.name);
  await mkdir(base, { recursive: true });
  const prepared: { rc: RenderedContainer; map: Relocation }[] = [];
  for (const name of [...initContainerNames(objects, o.kind, o.workload), o.container]) {
    const rc = renderedContainer(objects, o.kind, o.workload, name);
    prepared.push({ rc, map: await prepareFs(rc, base) });
  }
  await handOver(base, o.user);
  const main = prepared.pop() as { rc: RenderedContainer; map: Relocation };
  for (const { rc, map } of prepared) {
    // An init container runs its own command line; `argv` rewrites only the server's.
    const p = startRendered(c, rc, map, {
      ...o,
      argv: undefined,
      name: `${o.name}-${rc.name}`,
      cwd: base,
    });
    const code = await p.finished(c.timeoutMs, c.signal);
    if (code !== 0)
      throw new Error(`init container ${rc.name} of ${rc.workload} failed: ${p.deathNote()}`);
  }
  const proc = startRendered(c, main.rc, main.map, { ...o, name: o.name, cwd: base });
  return { proc, volumes: path.join(base, "volumes") };
}
