/** `shoppe chart deps|lint|template|package`: helm's steps for the rendered umbrella chart. */
import type { Command } from "commander";
import type {
  ChartDepsResult,
  ChartLintResult,
  ChartPackageResult,
  ChartTemplateResult,
} from "../../actions/chart.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { helmMajor, settingOption, type UmbrellaFlags, umbrellaOptions } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/chart.js");

function depsHuman(r: ChartDepsResult): string {
  const rows = r.dependencies.map((d) => [
    d.component,
    d.name,
    d.version,
    d.repository,
    d.sha256 ? d.sha256.slice(0, 12) : "-",
  ]);
  const from = r.mirror ? ` from the mirror ${r.mirror}` : "";
  const head = `helm dependency ${r.mode}${from}: ${r.chartDir}/Chart.lock${r.lockDigest ? ` (${r.lockDigest})` : ""}`;
  return `${head}\n${renderTable(["component", "chart", "version", "repository", "sha256"], rows)}`;
}

function lintHuman(r: ChartLintResult): string {
  const rows = r.runs.map((run) => [
    run.major,
    run.profile,
    run.ok ? "ok" : "FAILED",
    run.findings
      .filter((f) => f.severity !== "INFO")
      .map(
        (f) =>
          `[${f.severity}]${f.components.length ? ` (${f.components.join(", ")})` : ""} ${f.message}`,
      )
      .join("\n") || "-",
  ]);
  const failed = r.runs.filter((run) => !run.ok && run.command).map((run) => `  ${run.command}`);
  const tail = failed.length ? `\nfailed commands:\n${failed.join("\n")}` : "";
  return `${renderTable(["helm", "profile", "result", "findings"], rows)}${tail}`;
}

function templateHuman(r: ChartTemplateResult): string {
  const kinds = [...new Set(r.renders.flatMap((x) => Object.keys(x.kinds)))].sort();
  const head = ["kind", ...r.renders.map((x) => `${x.profile}@${x.kubeVersion}`)];
  const rows = kinds.map((k) => [k, ...r.renders.map((x) => x.kinds[k] ?? 0)]);
  rows.push(["total", ...r.renders.map((x) => x.objects)]);
  const removed = r.renders.flatMap((x) =>
    x.removedApis.map((m) => `  ${x.profile}@Kubernetes ${x.kubeVersion}: ${m}`),
  );
  const summary = `helm template ${r.chartDir} (release ${r.releaseName}, namespace ${r.namespace})`;
  return [
    summary,
    renderTable(head, rows),
    removed.length ? `removed APIs:\n${removed.join("\n")}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function packageHuman(r: ChartPackageResult): string {
  const subs = r.substitutions.length > 0 ? "; holds substitutes: not for publishing" : "";
  return `packaged ${r.name} ${r.version}: ${r.file} (${r.bytes} bytes, sha256 ${r.sha256})${subs}`;
}

/** Registers the `chart` group. */
export function register(program: Command, kit: Kit): void {
  const chart = program.command("chart").description("helm steps for the rendered umbrella chart");

  settingOption(
    umbrellaOptions(chart.command("deps")),
    "mirror",
    "fetch the HTTP charts from this local mirror of their repositories (docs/mirrors.md)",
  )
    .description(
      "helm dependency build (or --update) into a staged copy, from the chart repositories or a mirror; Chart.lock, charts/ and .shoppe-deps.json",
    )
    .option("--update", "re-resolve the dependencies and rewrite Chart.lock")
    .option(
      "--plain-http",
      "fetch OCI charts over plain HTTP (default: on for loopback registries)",
    )
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .action(
      async (
        o: UmbrellaFlags & { update?: boolean; plainHttp?: boolean; helm?: string },
        cmd: Command,
      ) => {
        const mirror = (await kit.settings(cmd)).get("mirror");
        const result = await interruptible(async (signal) =>
          (await actions()).chartDeps(await kit.context(cmd), {
            ...(mirror ? { mirror } : {}),
            file: o.file,
            chartDir: o.chartDir,
            update: Boolean(o.update),
            ...(o.plainHttp ? { plainHttp: true } : {}),
            major: helmMajor(o.helm),
            signal,
          }),
        );
        kit.print(cmd, result, depsHuman);
      },
    );

  umbrellaOptions(chart.command("lint"))
    .description("helm lint --strict with each profile's values under helm v4 and v3")
    .option("-p, --profile <name>", "only this profile")
    .option("--helm <major>", "only this helm major: v4 or v3")
    .option(
      "--kube-version <version>",
      "Kubernetes version for capabilities and deprecation checks",
    )
    .action(
      async (
        o: UmbrellaFlags & { profile?: string; helm?: string; kubeVersion?: string },
        cmd: Command,
      ) => {
        const major = helmMajor(o.helm);
        const result = await (await actions()).chartLint(await kit.context(cmd), {
          file: o.file,
          chartDir: o.chartDir,
          profile: o.profile,
          ...(major ? { majors: [major] } : {}),
          kubeVersion: o.kubeVersion,
        });
        kit.print(cmd, result, lintHuman);
        if (!result.ok) kit.fail(1);
      },
    );

  umbrellaOptions(chart.command("template"))
    .description(
      "helm template per profile and supported Kubernetes version; objects per kind, removed APIs",
    )
    .option("-p, --profile <name>", "only this profile")
    .option("--kube-version <version>", "only this Kubernetes version")
    .option("--release-name <name>", "release name (default: the chart name)")
    .option("-n, --namespace <ns>", "namespace", "default")
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .action(
      async (
        o: UmbrellaFlags & {
          profile?: string;
          kubeVersion?: string;
          releaseName?: string;
          namespace: string;
          helm?: string;
        },
        cmd: Command,
      ) => {
        const result = await (await actions()).chartTemplate(await kit.context(cmd), {
          file: o.file,
          chartDir: o.chartDir,
          profile: o.profile,
          kubeVersion: o.kubeVersion,
          releaseName: o.releaseName,
          namespace: o.namespace,
          major: helmMajor(o.helm),
        });
        const { objects: _objects, ...summary } = result;
        kit.print(cmd, summary as ChartTemplateResult, templateHuman);
        if (!result.ok) kit.fail(1);
      },
    );

  umbrellaOptions(chart.command("package"))
    .description("helm package the umbrella (after chart deps) into a .tgz ready to publish")
    .option("-d, --destination <dir>", "directory for the .tgz", "dist/charts")
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .option(
      "--allow-substitutes",
      "package even when chart deps used substitutes (refused otherwise): never publish the result",
    )
    .action(
      async (
        o: UmbrellaFlags & { destination: string; helm?: string; allowSubstitutes?: boolean },
        cmd: Command,
      ) => {
        const result = await (await actions()).chartPackage(await kit.context(cmd), {
          file: o.file,
          chartDir: o.chartDir,
          destination: o.destination,
          major: helmMajor(o.helm),
          allowSubstitutes: Boolean(o.allowSubstitutes),
        });
        kit.print(cmd, result, packageHuman);
      },
    );
}
