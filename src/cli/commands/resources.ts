/** `shoppe resources`: CPU, memory, GPU and storage the rendered chart asks for, per component. */
import type { Command } from "commander";
import type { AmountsView, ProfileResources, ResourcesResult } from "../../actions/resources.js";
import type { Kit } from "../kit.js";
import { type InspectFlags, inspectOptions, inspectSettings } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/resources.js");

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
  inspectOptions(program.command("resources"))
    .description(
      "CPU and memory requests/limits, GPUs and volume sizes per component and in total, per profile",
    )
    .action(async (o: InspectFlags, cmd: Command) => {
      const result = await (await actions()).resources(await kit.context(cmd), inspectSettings(o));
      kit.print(cmd, result, human);
    });
}
