/** `shoppe doctor` against the real pinned helm binaries that scripts/install-tools builds. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { doctor } from "../../src/actions/doctor.js";
import { createContext } from "../../src/context.js";
import { readPins } from "../../src/tools/pins.js";
import { runCli } from "../helpers/cli.js";
import { describeWithTools, findTool, ROOT } from "../helpers/tools.js";

describeWithTools("shoppe doctor", ["helm", "helm3", "go"], () => {
  const temps: string[] = [];
  afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

  it("shows both helm majors at their pinned versions", async () => {
    const res = await runCli(["--json", "doctor"], ROOT);
    const report = JSON.parse(res.stdout);
    const pins = readPins(ROOT);
    for (const name of ["helm", "helm3"]) {
      const row = report.tools.find((t: { name: string }) => t.name === name);
      expect(row).toMatchObject({
        pinned: pins[name],
        version: pins[name],
        status: "ok",
        origin: "project",
      });
    }
    expect(pins.helm).toMatch(/^v4\./);
    expect(pins.helm3).toMatch(/^v3\./);
  });

  it("reports a tool whose version does not match its pin, and exits 1", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "shoppe-doctor-"));
    temps.push(root);
    await mkdir(path.join(root, "scripts"), { recursive: true });
    await mkdir(path.join(root, ".tools/bin"), { recursive: true });
    await writeFile(
      path.join(root, "scripts/tool-versions.env"),
      "HELM_VERSION=v4.0.0\nHELM3_VERSION=v3.22.0\n",
    );
    await symlink(findTool("helm") as string, path.join(root, ".tools/bin/helm"));
    const ctx = createContext({ root, env: { PATH: path.dirname(findTool("go") as string) } });
    const result = await doctor(ctx);
    expect(result.ok).toBe(false);
    expect(result.tools.find((t) => t.name === "helm")).toMatchObject({
      status: "mismatch",
      pinned: "v4.0.0",
    });
    expect(result.tools.find((t) => t.name === "helm3")).toMatchObject({ status: "missing" });
    const cli = await runCli(["doctor"], root, { PATH: path.dirname(findTool("go") as string) });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("mismatch");
    expect(cli.stdout).toContain("run scripts/install-tools");
  });
});
