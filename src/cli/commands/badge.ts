/** `shoppe badge`: compatibility badges (SVG and shields.io endpoint JSON) from e2e results. */
import type { Command } from "commander";
import type { BadgeResult } from "../../actions/badge.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/badge.js");

function human(r: BadgeResult): string {
  const rows = r.badges.map((b) => [b.svg, b.label, b.message]);
  const lines = [
    `wrote ${r.badges.length} badges into ${r.out} from ${r.counted.length} results file(s) of ${r.release.name} ${r.release.version}`,
    renderTable(["badge", "label", "message"], rows),
  ];
  if (r.ignored.length > 0) {
    lines.push(`${r.ignored.length} results file(s) ignored (see the warnings above)`);
  }
  return lines.join("\n");
}

/** Registers `badge`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("badge")
    .description(
      "compatibility badges of this release (the stack and each component): SVG and shields.io endpoint JSON, from e2e results of this chart version and this stack.yaml only",
    )
    .argument("<results...>", "results.json files, or directories shoppe e2e run --results wrote")
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option(
      "-o, --out <dir>",
      "where the badges go (missing, empty, or written by shoppe badge)",
      ".shoppe/badges",
    )
    .action(async (results: string[], o: { file: string; out: string }, cmd: Command) => {
      const result = await (await actions()).badge(await kit.context(cmd), {
        file: o.file,
        results,
        out: o.out,
      });
      kit.print(cmd, result, human);
    });
}
