/** `shoppe support-bundle`: a redacted diagnostics archive of a namespace or Helm release. */
import type { Command } from "commander";
import type { SupportBundleResult } from "../../actions/support-bundle.js";
import type { Kit } from "../kit.js";

/** The action module, loaded when the command runs. */
const actions = () => import("../../actions/support-bundle.js");

interface Flags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  release?: string;
  output?: string;
}

function human(r: SupportBundleResult): string {
  const first = r.firstFailure
    ? `\nfirst failure: ${r.firstFailure.component}: ${r.firstFailure.why}`
    : "";
  return `${r.file} (${r.files} files; secrets masked)${first}`;
}

/** Registers `support-bundle`. */
export function register(program: Command, kit: Kit): void {
  program
    .command("support-bundle")
    .description(
      "collect pod logs, events, objects (secrets masked), helm status and history and a SUMMARY.md of a namespace or Helm release into a .tar.gz for a support ticket",
    )
    .option("--kubeconfig <file>", "kubeconfig (default $KUBECONFIG, else ~/.kube/config)")
    .option("--context <name>", "context (default the current one)")
    .option("-n, --namespace <name>", "the namespace to collect")
    .option("--release <name>", "a Helm release: its namespace, helm status and history")
    .option(
      "-o, --output <file>",
      "the archive to write, a new file (default shoppe-support-<time>.tar.gz)",
    )
    .action(async (f: Flags, cmd: Command) => {
      const result = await (await actions()).supportBundle(await kit.context(cmd), f);
      kit.print(cmd, result, human);
    });
}
