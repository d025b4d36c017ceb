/**
 * The xcache chart's generated XRootD configuration, run for real: the ConfigMap and the
 * container environment rendered by helm drive a local origin (origin mode) and two caches
 * (fixed origin, forwarding proxy) on loopback, and a file read through each cache must
 * return the origin's bytes and leave a cached copy. Needs Debian's xrootd-server and
 * xrootd-client; helm lint cannot catch a directive xrootd rejects, this can.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import type { KubeObject } from "../../src/kube/objects.js";
import { findTool, ROOT, UNDER_CI } from "../helpers/tools.js";
import { freePort } from "../support/ports.js";
import {
  chartDir,
  container,
  type HelmHarness,
  type Loose,
  only,
  openHarness,
  pod,
  render,
} from "./harness.js";

const TOOLS = ["helm", "xrootd", "xrdcp"];
const missing = TOOLS.filter((t) => !findTool(t));
const asRoot = process.getuid?.() === 0;
// xrootd refuses to run as root: under root, run it as Debian's xrootd user.
const xrootdUser = asRoot ? userIds("xrootd") : undefined;
const why =
  missing.length > 0
    ? `missing ${missing.join(", ")}: install Debian xrootd-server and xrootd-client (5.5+), and run scripts/install-tools for helm`
    : asRoot && !xrootdUser
      ? "running as root without an xrootd user to drop to (Debian's xrootd-server creates one)"
      : undefined;

function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

async function waitForPort(
  port: number,
  proc: ChildProcess,
  log: () => string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`xrootd exited with ${proc.exitCode} before listening:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`xrootd did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
}

/** The rendered xrootd.cfg and container environment of a release. */
function configAndEnv(objects: KubeObject[]): { cfg: string; env: Record<string, string> } {
  const cfg = (only(objects, "ConfigMap") as Loose).data["xrootd.cfg"] as string;
  const c = container(pod(only(objects, "StatefulSet")), "xrootd");
  const env = Object.fromEntries(c.env.map((e: Loose) => [e.name, String(e.value)]));
  return { cfg, env };
}

interface Server {
  name: string;
  port: number;
  data: string;
  proc: ChildProcess;
  log: string;
}

function describeWithXrootd(name: string, body: () => void): void {
  if (!why) {
    describe(name, body);
    return;
  }
  if (UNDER_CI) {
    describe(name, () => {
      it("has xrootd, xrdcp and helm", () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} (${why})`, body);
  }
}

describeWithXrootd("xcache chart configuration under a real xrootd", () => {
  const CHART = chartDir("xcache");
  const runner = createContext({ root: ROOT }).runner;
  let h: HelmHarness;
  let base: string;
  const servers: Server[] = [];

  async function start(name: string, objects: KubeObject[]): Promise<Server> {
    const { cfg, env } = configAndEnv(objects);
    const dir = path.join(base, name);
    const data = path.join(dir, "data");
    const admin = path.join(dir, "admin");
    await fs.mkdir(data, { recursive: true });
    await fs.mkdir(admin, { recursive: true });
    // The pod's fixed paths (/tmp/xrootd, /xcache/data) become per-server temp directories.
    expect(cfg).toContain("all.adminpath /tmp/xrootd\n");
    expect(cfg).toContain("oss.localroot /xcache/data\n");
    const local = cfg
      .replaceAll("all.adminpath /tmp/xrootd\n", `all.adminpath ${admin}\n`)
      .replaceAll("all.pidpath /tmp/xrootd\n", `all.pidpath ${admin}\n`)
      .replaceAll("oss.localroot /xcache/data\n", `oss.localroot ${data}\n`);
    const cfgFile = path.join(dir, "xrootd.cfg");
    await fs.writeFile(cfgFile, local);
    return launch(name, dir, data, cfgFile, env);
  }

  async function launch(
    name: string,
    dir: string,
    data: string,
    cfgFile: string,
    env: Record<string, string>,
  ): Promise<Server> {
    const port = await freePort();
    if (xrootdUser) execFileSync("chown", ["-R", `${xrootdUser.uid}:${xrootdUser.gid}`, dir]);
    const argv = ["-c", cfgFile, "-n", name];
    const [cmd, args] = xrootdUser
      ? [
          "setpriv",
          [
            `--reuid=${xrootdUser.uid}`,
            `--regid=${xrootdUser.gid}`,
            "--clear-groups",
            findTool("xrootd") as string,
            ...argv,
          ],
        ]
      : [findTool("xrootd") as string, argv];
    const proc = spawn(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...env, XC_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server: Server = { name, port, data, proc, log: "" };
    proc.stdout?.on("data", (b) => (server.log += b));
    proc.stderr?.on("data", (b) => (server.log += b));
    servers.push(server);
    await waitForPort(port, proc, () => server.log.split("\n").slice(-30).join("\n"));
    return server;
  }

  async function xrdcp(url: string): Promise<string> {
    const out = path.join(base, `out-${servers.length}-${Date.now()}`);
    await runner.run(findTool("xrdcp") as string, ["--nopbar", "-f", url, out], {
      timeoutMs: 30_000,
    });
    return fs.readFile(out, "utf8");
  }

  let origin: Server;
  const content = "hello from the coffea-shoppe test origin\n";

  beforeAll(async () => {
    h = await openHarness("v4");
    base = await fs.mkdtemp(path.join(os.tmpdir(), "shoppe-xrootd-"));
    await fs.chmod(base, 0o755);
    const objects = await render(h.helm, CHART, {
      valuesFiles: [path.join(CHART, "ci", "origin-values.yaml")],
    });
    // Do what the prepare init container does: copy the seed file into the export.
    const seed = (only(objects, "ConfigMap") as Loose).data["seed-hello.txt"];
    expect(seed).toBe(content);
    const dir = path.join(base, "origin");
    await fs.mkdir(path.join(dir, "data", "store"), { recursive: true });
    await fs.writeFile(path.join(dir, "data", "store", "hello.txt"), seed);
    origin = await start("origin", objects);
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) {
      if (s.proc.exitCode === null) s.proc.kill("SIGTERM");
    }
    await Promise.all(
      servers.map((s) =>
        s.proc.exitCode === null ? new Promise((r) => s.proc.once("exit", r)) : undefined,
      ),
    );
    if (base) await fs.rm(base, { recursive: true, force: true });
    await h?.close();
  });

  it("origin mode serves the seeded export read-only", async () => {
    expect(await xrdcp(`root://127.0.0.1:${origin.port}//store/hello.txt`)).toBe(content);
    const upload = path.join(base, "upload.txt");
    await fs.writeFile(upload, "x");
    const failure = await runner
      .run(findTool("xrdcp") as string, [
        "--nopbar",
        upload,
        `root://127.0.0.1:${origin.port}//store/new.txt`,
      ])
      .then(
        () => "",
        (e: { output?: string }) => e.output ?? String(e),
      );
    expect(failure).toMatch(/read\/only/);
  });

  it("cache mode with a fixed origin returns the origin's bytes and keeps a copy", async () => {
    const objects = await render(h.helm, CHART, {
      valuesFiles: [path.join(CHART, "ci", "ci-values.yaml")],
      set: { "origin.host": "127.0.0.1", "origin.port": String(origin.port) },
    });
    const cache = await start("cache", objects);
    expect(await xrdcp(`root://127.0.0.1:${cache.port}//store/hello.txt`)).toBe(content);
    expect(existsSync(path.join(cache.data, "store", "hello.txt.cinfo"))).toBe(true);
    expect(await fs.readFile(path.join(cache.data, "store", "hello.txt"), "utf8")).toBe(content);
    // The XC_* variables from values reached the cache plugin.
    expect(cache.log).toMatch(/pfc\.ram\s+1g/);
    expect(cache.log).toMatch(/pfc\.blocksize\s+1M/);
  });

  it("the default forwarding proxy caches a file named by its origin URL", async () => {
    const cache = await start("forward", await render(h.helm, CHART));
    const url = `root://127.0.0.1:${cache.port}//root://127.0.0.1:${origin.port}//store/hello.txt`;
    expect(await xrdcp(url)).toBe(content);
    expect(existsSync(path.join(cache.data, "store", "hello.txt.cinfo"))).toBe(true);
  });
});
