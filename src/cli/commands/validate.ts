/** `shoppe validate [file]`: schema and semantic checks of stack.yaml, every error at once. */
import type { Command } from "commander";
import type { ValidateResult } from "../../actions/validate.js";
import { InputError } from "../../errors.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/validate.js");

function human(r: ValidateResult): string {
  const rows = r.components.map((c) => [
    c.id,
    c.enabled ? "yes" : "no",
    c.chart,
    c.version,
    c.images,
  ]);
  return [
    `${r.file} is valid: ${r.release}, Kubernetes ${r.kubernetes.join(", ")}`,
    renderTable(["component", "enabled", "chart", "version", "images"], rows),
  ].join("\n");
}

/** Registers `validate`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("validate")
    .description(
      "check stack.yaml against its schema and rules; report every error with file:line:col",
    )
    .argument("[file]", "manifest to check", "stack.yaml")
    .action(async (file: string, _opts, cmd: Command) => {
      try {
        kit.print(
          cmd,
          { ok: true, ...(await (await actions()).validate(await kit.context(cmd), { file })) },
          human,
        );
      } catch (err) {
        // With --json a machine still gets the diagnostics as data; the exit code stays 2.
        if (!(err instanceof InputError) || !kit.flags(cmd).json) throw err;
        kit.print(
          cmd,
          { ok: false, file, error: err.message, diagnostics: err.diagnostics },
          () => "",
        );
        kit.fail(err.exitCode);
      }
    });
}
