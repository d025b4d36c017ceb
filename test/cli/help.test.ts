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

  it("is documented: the README names every top-level command", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const c of program.commands) expect(readme).toContain(`shoppe ${c.name()}`);
  });
});
