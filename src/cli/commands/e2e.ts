/** `shoppe e2e run|matrix`: install the umbrella into a cluster, watch it, check it, record it. */
import type { Command } from "commander";
import type { E2eMatrixResult, E2eRunResult } from "../../actions/e2e.js";
import { describeSetting, settingSpec } from "../../config/registry.js";
import { runReporter } from "../e2e-board.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { durationMs, settingOption, umbrellaOptions } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs. */
const actions = () => import("../../actions/e2e.js");

interface RunFlags {
  file: string;
  chartDir?: string;
  profile: string;
  kubeVersion?: string;
  matrix?: boolean;
  upgradeFrom?: string;
  keep?: boolean;
  timeout: string;
  results: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** "90s", "10m", "1h" → milliseconds. */
function runHuman(r: E2eRunResult): string {
  const rows = r.runs.map((run) => [
    run.results.kubernetes.version,
    run.results.status,
    run.results.tier ?? "-",
    run.results.reason ??
      `${run.results.components.filter((c) => c.status === "passed").length}/${run.results.components.length} components ready, ${run.results.checks.filter((c) => c.status === "passed").length}/${run.results.checks.length} checks passed`,
    run.dir,
  ]);
  return renderTable(["kubernetes", "status", "tier", "detail", "results"], rows);
}

function matrixHuman(r: E2eMatrixResult): string {
  return renderTable(
    ["kubernetes", `runs on ${r.provider}`, "why not"],
    r.include.map((e) => [e.kubernetes, e.runnable ? "yes" : "no", e.reason ?? ""]),
  );
}

/** Registers `e2e` and its subcommands. */
export function register(program: Command, kit: Kit): void {
  const e2e = program
    .command("e2e")
    .description("end-to-end runs of the umbrella chart in a cluster");

  const run = umbrellaOptions(e2e.command("run"))
    .description(
      "provision a cluster, helm install the umbrella with a profile, watch it become ready, run the checks, tear down; results under --results",
    )
    .option(
      "--provider <name>",
      describeSetting({
        ...settingSpec("provider"),
        description:
          "cluster provider: kind, kwok or existing; local: the service tier (real servers as local processes, no cluster)",
        default: undefined,
        defaultText: "kind where a container engine answers, else kwok",
      }),
    )
    .option("-p, --profile <name>", "profile to install with", "ci")
    .option(
      "--kube-version <version>",
      "Kubernetes version of stack.yaml to run (default: the newest the provider can run)",
    )
    .option(
      "--matrix",
      "every Kubernetes version of stack.yaml the provider can run; the others recorded as not run",
    )
    .option(
      "--upgrade-from <ref>",
      "install the umbrella of this git ref first, then upgrade to the current one",
    )
    .option("--keep", "keep the cluster (or namespace) and print how to reach and delete it")
    .option("--timeout <duration>", "how long each component may take to become ready", "10m")
    .option("--results <dir>", "where results are written", ".shoppe/e2e")
    .option(
      "--kubeconfig <file>",
      "existing: the kubeconfig (default $KUBECONFIG, else ~/.kube/config)",
    )
    .option("--context <name>", "existing: the context (default the current one)")
    .option("--namespace <name>", "the namespace to create and work in (default shoppe-e2e-<id>)");
  settingOption(
    settingOption(run, "mirror", "build the dependencies from this local mirror"),
    "clusters-dir",
  );
  run.action(async (f: RunFlags, cmd: Command) => {
    const settings = await kit.settings(cmd);
    const provider = settings.all.find((s) => s.name === "provider");
    const named =
      provider?.value && provider.source !== "default"
        ? { name: provider.value, origin: provider.origin }
        : undefined;
    const timeoutMs = durationMs("--timeout", f.timeout);
    const ctx = await kit.context(cmd);
    const report = runReporter(kit.io, kit.flags(cmd));
    const result = await interruptible(async (signal) =>
      (await actions()).e2eRun(ctx, {
        provider: named,
        profile: f.profile,
        kubeVersion: f.kubeVersion,
        matrix: f.matrix,
        upgradeFrom: f.upgradeFrom,
        keep: f.keep,
        timeoutMs,
        results: f.results,
        mirror: settings.get("mirror"),
        clustersDir: settings.get("clusters-dir"),
        kubeconfig: f.kubeconfig,
        context: f.context,
        namespace: f.namespace,
        file: f.file,
        chartDir: f.chartDir,
        signal,
        report,
      }),
    );
    for (const r of result.runs) {
      if (r.kept)
        ctx.logger.info(
          `kept (Kubernetes ${r.results.kubernetes.version}):\n  ${r.kept.join("\n  ")}`,
        );
    }
    kit.print(cmd, result, runHuman);
    if (result.status === "failed") kit.fail(1);
  });

  e2e
    .command("matrix")
    .description(
      "the Kubernetes versions of stack.yaml and whether a provider can run each (the CI matrix)",
    )
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option("--provider <name>", "provider to ask: kind (default), kwok or existing", "kind")
    .action(async (f: { file: string; provider: string }, cmd: Command) => {
      const result = await (await actions()).e2eMatrix(await kit.context(cmd), {
        file: f.file,
        provider: f.provider,
      });
      kit.print(cmd, result, matrixHuman);
    });
}
