/** `shoppe mirror create`: a mirror of the stack's charts and images for an air-gapped site. */
import type { Command } from "commander";
import type { MirrorCreateResult } from "../../actions/mirror.js";
import type { Kit } from "../kit.js";
import { helmMajor, settingOption, type UmbrellaFlags, umbrellaOptions } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/mirror.js");

function createHuman(r: MirrorCreateResult): string {
  const rows = r.charts.map((c) => [
    c.component,
    c.chart,
    c.version,
    c.archive,
    c.sha256.slice(0, 12),
  ]);
  return [
    `wrote the mirror ${r.dir} from ${r.source === "upstream" ? "the upstream repositories" : `the mirror ${r.source}`}`,
    renderTable(["component", "chart", "version", "archive", "sha256"], rows),
    `${r.images.length} images listed in ${r.dir}/images.txt`,
  ].join("\n");
}

/** Registers the `mirror` group. */
export function register(program: Command, kit: Kit): void {
  const mirror = program
    .command("mirror")
    .description("local mirrors of the chart repositories, for sites that cannot reach them");

  settingOption(
    umbrellaOptions(mirror.command("create")),
    "mirror",
    "copy the charts from this mirror instead of the upstream repositories (substitutes carried over)",
  )
    .argument("<dir>", "the mirror to write (missing, empty, or written by mirror create before)")
    .description(
      "write a mirror of every chart archive the stack needs (with index.yaml and mirror.yaml) and images.txt, every image it deploys; from the upstream repositories, or from --mirror",
    )
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .action(async (dir: string, o: UmbrellaFlags & { helm?: string }, cmd: Command) => {
      const source = (await kit.settings(cmd)).get("mirror");
      const result = await (await actions()).mirrorCreate(await kit.context(cmd), {
        dir,
        ...(source ? { mirror: source } : {}),
        file: o.file,
        chartDir: o.chartDir,
        major: helmMajor(o.helm),
      });
      kit.print(cmd, result, createHuman);
    });
}
