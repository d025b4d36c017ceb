/** `shoppe resources`: CPU, memory, GPU and storage the rendered chart asks for, per component. */
import type { Command } from "commander";
import {
  type AmountsView,
  type ProfileResources,
  type ResourcesResult,
  resources,
} from "../../actions/resources.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";
import { helmMajor } from "./chart.js";

const HEAD = ["component", "pods", "cpu req", "cpu lim", "mem req", "mem lim", "gpus", "storage"];

function row(name: string, a: AmountsView): (string | number)[] {
  const d = a.display;
  return [
    name,
    a.pods,
    d.cpuRequests,
    d.cpuLimits,
    d.memoryRequests,
    d.memoryLimits,
    d.gpus,
    d.storage,
  ];
}

function profileHuman(p: ProfileResources): string {
  const rows = Object.entries(p.components)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, a]) => row(id, a));
  rows.push(row("total", p.total));
  const notes = p.notes.length ? `\nnotes:\n${p.notes.map((n) => `  ${n}`).join("\n")}` : "";
  return `profile ${p.profile} (Kubernetes ${p.kubeVersion}), times replicas\n${renderTable(HEAD, rows)}${notes}`;
}

function human(r: ResourcesResult): string {
  return r.profiles.map(profileHuman).join("\n\n");
}

/** Registers `resources`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("resources")
    .description(
      "CPU and memory requests/limits, GPUs and volume sizes per component and in total, per profile",
    )
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option("--chart-dir <dir>", "rendered umbrella chart (default charts/<release name>)")
    .option("-p, --profile <name>", "only this profile")
    .option(
      "--kube-version <version>",
      "Kubernetes version to render for (default: newest supported)",
    )
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .action(
      async (
        o: {
          file: string;
          chartDir?: string;
          profile?: string;
          kubeVersion?: string;
          helm?: string;
        },
        cmd: Command,
      ) => {
        const result = await resources(kit.context(cmd), {
          file: o.file,
          chartDir: o.chartDir,
          profile: o.profile,
          kubeVersion: o.kubeVersion,
          major: helmMajor(o.helm),
        });
        kit.print(cmd, result, human);
      },
    );
}
