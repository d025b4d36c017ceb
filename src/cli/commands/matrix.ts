/** `shoppe matrix`: the compatibility matrix (Markdown and an HTML page) across releases. */
import type { Command } from "commander";
import type { MatrixResult } from "../../actions/matrix.js";
import type { Kit } from "../kit.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/matrix.js");

function human(r: MatrixResult): string {
  const releases = r.matrix.releases.map((x) => x.version).join(", ");
  const runs = r.files.filter((f) => f.endsWith("/results.json")).length;
  return [
    `wrote ${r.out}/index.html and ${r.out}/matrix.md: releases ${releases}, ${runs} run(s) shown${r.matrix.ignored.length ? `, ${r.matrix.ignored.length} results file(s) ignored (see the warnings above)` : ""}`,
    "",
    r.markdown,
  ].join("\n");
}

/** Registers `matrix`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("matrix")
    .description(
      "compatibility matrix (components × Kubernetes versions × tier) of every release the e2e results belong to, with history: Markdown and an accessible HTML page, the runs published beside it",
    )
    .argument(
      "<results...>",
      "results.json files, or directories searched for them (shoppe e2e run --results, a previous matrix)",
    )
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option(
      "-o, --out <dir>",
      "where the matrix goes (missing, empty, or written by shoppe matrix)",
      ".shoppe/matrix",
    )
    .option(
      "--link-base <url>",
      "where the directory is published: the Markdown links start with it",
    )
    .action(
      async (
        results: string[],
        o: { file: string; out: string; linkBase?: string },
        cmd: Command,
      ) => {
        const result = await (await actions()).matrix(await kit.context(cmd), {
          file: o.file,
          results,
          out: o.out,
          ...(o.linkBase ? { linkBase: o.linkBase } : {}),
        });
        kit.print(cmd, result, human);
      },
    );
}
