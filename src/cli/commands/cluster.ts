/** `shoppe cluster create|delete|list`: local test clusters (kwok here, kind in CI). */
import { type Command, Option } from "commander";
import type { ClusterCreateResult, ClusterListResult } from "../../actions/cluster.js";
import { UsageError } from "../../errors.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { durationMs, settingOption } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/cluster.js");

interface TargetFlags {
  /** The older name of --clusters-dir, still accepted. */
  stateDir?: string;
}

interface CreateFlags extends TargetFlags {
  name: string;
  nodes: string;
  nodeCpu?: string;
  nodeMemory?: string;
  nodeGpus?: string;
  nodePods?: string;
  kubernetesVersion?: string;
  timeout: string;
}

/** The provider and state directory: settings `provider` and `clusters-dir` (src/config). */
async function target(kit: Kit, cmd: Command, f: TargetFlags) {
  const settings = await kit.settings(cmd);
  const stateDir = f.stateDir ?? settings.get("clusters-dir");
  return {
    provider: settings.get("provider") ?? "kwok",
    ...(stateDir ? { stateDir } : {}),
  };
}

function int(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number, got "${value}"`);
  return Number(value);
}

function listHuman(r: ClusterListResult): string {
  if (r.clusters.length === 0) return `no ${r.provider} clusters`;
  return renderTable(
    ["name", "status", "version", "server", "kubeconfig"],
    r.clusters.map((c) => [
      c.name,
      c.status,
      c.kubernetesVersion ?? "-",
      c.server ?? "-",
      c.kubeconfig ?? "-",
    ]),
  );
}

/** Registers `cluster` and its subcommands. */
export function register(program: Command, kit: Kit): void {
  const cluster = program
    .command("cluster")
    .description("create, delete and list local test clusters");
  const withTarget = (c: Command) =>
    settingOption(settingOption(c, "provider"), "clusters-dir").addOption(
      new Option("--state-dir <dir>", "older name of --clusters-dir").hideHelp(),
    );

  withTarget(cluster.command("create"))
    .description(
      "create a cluster that keeps running until `shoppe cluster delete`; prints its kubeconfig path",
    )
    .option("--name <name>", "cluster name", "shoppe")
    .option("--nodes <n>", "number of nodes", "1")
    .option("--node-cpu <quantity>", "allocatable CPU per node (kwok), e.g. 8")
    .option("--node-memory <quantity>", "allocatable memory per node (kwok), e.g. 32Gi")
    .option("--node-gpus <n>", "nvidia.com/gpu per node (kwok)")
    .option("--node-pods <n>", "maximum pods per node (kwok)")
    .option(
      "--kubernetes-version <version>",
      "required control-plane version; must match the built binaries",
    )
    .option("--timeout <duration>", "give up (and tear down) after this long", "180s")
    .action(async (f: CreateFlags, cmd: Command) => {
      const nodeResources = {
        ...(f.nodeCpu ? { cpu: f.nodeCpu } : {}),
        ...(f.nodeMemory ? { memory: f.nodeMemory } : {}),
        ...(f.nodeGpus ? { gpus: int("--node-gpus", f.nodeGpus) } : {}),
        ...(f.nodePods ? { pods: int("--node-pods", f.nodePods) } : {}),
      };
      const where = await target(kit, cmd, f);
      const result = await interruptible(async (signal) =>
        (await actions()).clusterCreate(await kit.context(cmd), {
          ...where,
          name: f.name,
          nodes: int("--nodes", f.nodes),
          nodeResources,
          ...(f.kubernetesVersion ? { kubernetesVersion: f.kubernetesVersion } : {}),
          timeoutMs: durationMs("--timeout", f.timeout),
          signal,
        }),
      );
      if (!kit.flags(cmd).json && !kit.flags(cmd).quiet) kit.io.stderr(`note: ${result.note}\n`);
      kit.print(cmd, result, (r: ClusterCreateResult) => r.cluster.kubeconfig);
    });

  withTarget(cluster.command("delete"))
    .description("stop every process of a cluster and remove its state")
    .option("--name <name>", "cluster name", "shoppe")
    .action(async (f: TargetFlags & { name: string }, cmd: Command) => {
      const result = await (await actions()).clusterDelete(await kit.context(cmd), {
        ...(await target(kit, cmd, f)),
        name: f.name,
      });
      kit.print(cmd, result, (r) =>
        r.found ? `deleted cluster "${r.name}"` : `no cluster named "${r.name}"; nothing to delete`,
      );
    });

  withTarget(cluster.command("list"))
    .description("list clusters with their status (running, degraded, stopped, leftover)")
    .action(async (f: TargetFlags, cmd: Command) => {
      const where = await target(kit, cmd, f);
      kit.print(cmd, await (await actions()).clusterList(await kit.context(cmd), where), listHuman);
    });
}
