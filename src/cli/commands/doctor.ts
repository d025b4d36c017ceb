/** `shoppe doctor`: the tools, their versions and whether they match the pins. */
import type { Command } from "commander";
import type { DoctorResult } from "../../actions/doctor.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/doctor.js");

function human(r: DoctorResult): string {
  const table = renderTable(
    ["tool", "pinned", "found", "status", "path"],
    r.tools.map((t) => [t.name, t.pinned ?? "-", t.version ?? "-", t.status, t.found ?? "-"]),
  );
  const hint = r.ok ? "" : "\nrun scripts/install-tools to install the pinned versions";
  const settings = renderTable(
    ["setting", "value", "from"],
    r.settings.map((s) => [
      s.name,
      s.value ?? "-",
      s.source === "default" ? "default" : `${s.source} ${s.origin}`,
    ]),
  );
  return `${table}${hint}\n\nsettings${r.configFile ? ` (config file ${r.configFile})` : ""}:\n${settings}`;
}

/** Registers `doctor`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("doctor")
    .description(
      "list every tool the project uses, its version and whether it matches the pin, and every setting with where its value comes from",
    )
    .action(async (_opts, cmd: Command) => {
      const result = await (await actions()).doctor(await kit.context(cmd), {
        settings: await kit.settings(cmd),
      });
      kit.print(cmd, result, human);
      if (!result.ok) kit.fail(1);
    });
}
