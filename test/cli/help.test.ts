/** Every command has --help, and the README's command table names every command there is. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";

const sink = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, cwd: ROOT };
const program = buildProgram(sink, { exitCode: 0 });
const commands = program.commands.flatMap((c) =>
  c.commands.length > 0 ? c.commands.map((s) => [c.name(), s.name()]) : [[c.name()]],
);

describe("shoppe --help", () => {
  it.each(commands)("shoppe %s %s --help exits 0 with usage", async (...names) => {
    const argv = names.filter((n): n is string => typeof n === "string");
    const res = await runCli([...argv, "--help"], ROOT);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Usage: shoppe ${argv.join(" ")}`);
  });

  it("exits 2 on an unknown command", async () => {
    const res = await runCli(["no-such-command"], ROOT);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown command 'no-such-command'");
  });

  it("names each setting's flag, environment variable and config key", async () => {
    const deps = await runCli(["chart", "deps", "--help"], ROOT);
    expect(deps.stdout).toMatch(/--mirror <dir>\s+fetch the HTTP charts from this local mirror/);
    expect(deps.stdout.replace(/\s+/g, " ")).toContain("(env SHOPPE_MIRROR, config key mirror)");
    const create = await runCli(["mirror", "create", "--help"], ROOT);
    expect(create.stdout).toContain("Usage: shoppe mirror create [options] <dir>");
    expect(create.stdout.replace(/\s+/g, " ")).toContain(
      "copy the charts from this mirror instead of the upstream repositories (substitutes carried over) (env SHOPPE_MIRROR, config key mirror)",
    );
    const pkg = await runCli(["chart", "package", "--help"], ROOT);
    expect(pkg.stdout).toContain("--allow-substitutes");
    const list = (await runCli(["cluster", "list", "--help"], ROOT)).stdout.replace(/\s+/g, " ");
    expect(list).toContain("(env SHOPPE_PROVIDER, config key provider; default kwok)");
    expect(list).toContain("--clusters-dir <dir>");
    expect(list).toContain(
      "(env SHOPPE_CLUSTERS_DIR, config key clusters-dir; default .shoppe/clusters)",
    );
    const top = (await runCli(["--help"], ROOT)).stdout.replace(/\s+/g, " ");
    expect(top).toContain(
      "--config <file> settings file (env SHOPPE_CONFIG; default .shoppe.yaml in the project root",
    );
  });

  it("is documented: the README names every top-level command", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const c of program.commands) expect(readme).toContain(`shoppe ${c.name()}`);
  });
});
