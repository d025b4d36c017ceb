import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allocatePorts, isPortFree } from "../../src/e2e/providers/common/ports.js";
import { httpOk } from "../../src/e2e/providers/common/probe.js";
import { isAlive, readStat, recordOf } from "../../src/e2e/providers/common/process-table.js";
import {
  type Daemon,
  lostPortRace,
  startDaemon,
  stopProcess,
  waitReady,
} from "../../src/e2e/providers/common/supervisor.js";
import { CommandError } from "../../src/errors.js";
import { Redactor } from "../../src/exec/redact.js";

const dir = mkdtempSync(path.join(tmpdir(), "shoppe-supervisor-"));
const redactor = Redactor.fromEnv({ DEMO_TOKEN: "hush-hush-secret" });
const started: Daemon[] = [];
afterAll(async () => {
  for (const d of started) await stopProcess(d.record, 1_000);
  rmSync(dir, { recursive: true, force: true });
});

async function daemon(name: string, script: string, args: string[] = []): Promise<Daemon> {
  const d = await startDaemon(
    {
      name,
      file: process.execPath,
      args: ["-e", script, ...args],
      logFile: path.join(dir, `${name}.log`),
    },
    redactor,
  );
  started.push(d);
  return d;
}

describe("free ports on 127.0.0.1", () => {
  it("are distinct, and a bound one is reported busy", async () => {
    const ports = await allocatePorts(6);
    expect(new Set(ports).size).toBe(6);
    // Below the kernel's ephemeral range, where no outgoing connection can take one first.
    const low = Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0],
    );
    for (const p of ports) expect(p).toBeLessThan(low);
    const server = net.createServer().listen(ports[0], "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    expect(await isPortFree(ports[0] as number)).toBe(false);
    await new Promise((r) => server.close(r));
    expect(await isPortFree(ports[0] as number)).toBe(true);
  });
});

describe("the supervisor", () => {
  it("starts a detached daemon, sees it ready, and stops it freeing its port", async () => {
    const [port] = await allocatePorts(1);
    const d = await daemon(
      "web",
      "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1')",
      [String(port)],
    );
    expect(d.record.startTime).toBeDefined();
    await waitReady(d, () => httpOk(`http://127.0.0.1:${port}/`), redactor, { timeoutMs: 10_000 });
    expect(isAlive(d.record)).toBe(true);
    expect(await stopProcess(d.record)).toBe(true);
    expect(isAlive(d.record)).toBe(false);
    expect(await isPortFree(port as number)).toBe(true);
    expect(await stopProcess(d.record)).toBe(false); // already gone: nothing to do
  });

  it("reports a daemon that exits with its command line, status and redacted log tail", async () => {
    const d = await daemon("crash", "console.error('boom: ' + process.argv[1]); process.exit(3)", [
      "hush-hush-secret",
    ]);
    const err = await waitReady(d, async () => false, redactor, { timeoutMs: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    const ce = err as CommandError;
    expect(ce.message).toMatch(
      /^failed to start crash \(exited before it was ready: exit status 3\): /,
    );
    expect(ce.command).toContain(process.execPath);
    expect(ce.command).toContain("***");
    expect(ce.command).not.toContain("hush-hush-secret");
    expect(ce.output).toContain("boom: ***");
    expect(ce.exitStatus).toBe(3);
  });

  it("reports a program that cannot be started at all", async () => {
    const err = await startDaemon(
      {
        name: "ghost",
        file: "/nonexistent/ghost",
        args: ["--x"],
        logFile: path.join(dir, "ghost.log"),
      },
      redactor,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toMatch(
      /failed to start ghost .*\/nonexistent\/ghost --x/,
    );
  });

  it("gives up on a daemon that never gets ready, with its log tail", async () => {
    const d = await daemon("sloth", "console.log('still warming up'); setInterval(() => {}, 1000)");
    const err = await waitReady(d, async () => false, redactor, { timeoutMs: 600 }).catch(
      (e: unknown) => e,
    );
    expect((err as CommandError).message).toMatch(/failed to start sloth \(not ready after 1s\)/);
    expect((err as CommandError).output).toContain("still warming up");
  });

  it("stops with SIGKILL a daemon that ignores SIGTERM", async () => {
    const d = await daemon(
      "stubborn",
      "process.on('SIGTERM', () => {}); console.log('ar' + 'med'); setInterval(() => {}, 1000)",
    );
    // Ready once its handler is installed: it says so on a line of its own (the log's header
    // line holds the command, so the word is spelled apart there).
    const armed = async () => /^armed$/m.test(readFileSync(d.spec.logFile, "utf8"));
    await waitReady(d, armed, redactor, { timeoutMs: 10_000 });
    const t0 = Date.now();
    expect(await stopProcess(d.record, 300)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(isAlive(d.record)).toBe(false);
  });

  it("tells a lost port race from other failures, reading only its own run's log", async () => {
    const [port] = await allocatePorts(1);
    const blocker = net.createServer().listen(port, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const listen = "require('net').createServer().listen(Number(process.argv[1]), '127.0.0.1')";
    const first = await daemon("racer", listen, [String(port)]);
    await waitReady(first, async () => false, redactor, { timeoutMs: 10_000 }).catch(() => {});
    expect(lostPortRace(first)).toBe(true); // EADDRINUSE: address already in use
    await new Promise((r) => blocker.close(r));
    const second = await daemon("racer", "process.exit(4)");
    await waitReady(second, async () => false, redactor, { timeoutMs: 10_000 }).catch(() => {});
    expect(lostPortRace(second)).toBe(false); // same log file, but this run failed otherwise
  });

  it("never takes a reused PID for the recorded process", () => {
    const me = recordOf("me", process.pid);
    expect(isAlive(me)).toBe(true);
    expect(readStat(process.pid)?.startTime).toBe(me.startTime);
    expect(isAlive({ ...me, startTime: "1" })).toBe(false);
    expect(isAlive({ pid: 99_999_999 })).toBe(false);
  });
});
