/** `shoppe render`: write charts/<release>/ from stack.yaml, or `--check` it is up to date. */
import type { Command } from "commander";
import type { RenderResult } from "../../actions/render.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/render.js");

function human(r: RenderResult): string {
  const where = r.chartPath;
  if (r.check) {
    if (!r.changed) return `${where} is up to date with ${r.file}`;
    const list = r.differences.map((d) => `  ${d.change}: ${d.path}`).join("\n");
    return `${where} differs from a fresh render of ${r.file} (run shoppe render):\n${list}\n\n${r.diff}`;
  }
  if (!r.changed) return `${where} is up to date with ${r.file} (${r.files.length} files)`;
  const list = r.differences.map((d) => `  ${d.change}: ${d.path}`).join("\n");
  return `rendered ${where} from ${r.file} (${r.files.length} files):\n${list}`;
}

/** Registers `render`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("render")
    .description(
      "generate the umbrella chart from stack.yaml (atomically); --check compares instead",
    )
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option(
      "-o, --output <dir>",
      "chart directory (default charts/<release name>): missing, empty or rendered before",
    )
    .option("--check", "exit 1 with a diff when the chart on disk differs from a fresh render")
    .action(async (opts: { file: string; output?: string; check?: boolean }, cmd: Command) => {
      const result = await interruptible(async (signal) =>
        (await actions()).render(await kit.context(cmd), {
          file: opts.file,
          output: opts.output,
          check: Boolean(opts.check),
          signal,
        }),
      );
      kit.print(cmd, result, human);
      if (result.check && result.changed) kit.fail(1);
    });
}
