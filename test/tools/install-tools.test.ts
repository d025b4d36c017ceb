/** scripts/install-tools: idempotent, clear about what it does, clear when Go is missing. */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { describeWithTools, ROOT } from "../helpers/tools.js";

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, "scripts/install-tools");

async function installTools(args: string[], env: NodeJS.ProcessEnv) {
  return run(SCRIPT, args, { env: { ...env, SHOPPE_SKIP_SYSTEM_PACKAGES: "1" } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe("scripts/install-tools", () => {
  const temps: string[] = [];
  afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

  it("fails with a clear message when Go is missing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "shoppe-tools-"));
    temps.push(dir);
    const res = await installTools(["helm"], { PATH: "/usr/bin:/bin", SHOPPE_TOOLS_DIR: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      "Go is required to build the pinned tools but 'go' is not on PATH",
    );
  });

  it("names the known tools when asked for an unknown one", async () => {
    const res = await installTools(["nosuchtool"], { PATH: process.env.PATH });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unknown tool 'nosuchtool'; known tools: helm helm3/);
  });
});

describeWithTools("scripts/install-tools on an installed tree", ["helm", "helm3"], () => {
  it("skips tools already at their pinned version and recipe", async () => {
    const res = await installTools(["helm", "helm3"], process.env);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/helm v4\.\d+\.\d+ already installed/);
    expect(res.stderr).toMatch(/helm3 v3\.\d+\.\d+ already installed/);
    expect(res.stderr).not.toContain("building");
  });
});

describe("scripts/install-system-packages", () => {
  it("has the unpinned system tools the tests run, and leaves them alone when present", async () => {
    const script = path.join(ROOT, "scripts/install-system-packages");
    const res = await run(script, ["base"], { env: { ...process.env } });
    expect(res.stderr).toContain("git already installed");
    expect(res.stderr).toContain("openssl already installed");
    expect(res.stderr).not.toContain("apt-get");
  });
});
