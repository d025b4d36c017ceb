/** `shoppe release plan|notes|cut`: version, notes and publication of an integrated release. */
import type { Command } from "commander";
import type {
  ReleaseCutResult,
  ReleaseNotesOptions,
  ReleaseNotesResult,
  ReleasePlanResult,
} from "../../actions/release.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { settingOption } from "../options.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/release.js");

function planText(p: ReleasePlanResult): string {
  const lines = [
    p.previous
      ? `last release: ${p.previous.tag} (${p.previous.commit.slice(0, 12)})`
      : "no release tag yet (v<version>)",
  ];
  for (const c of p.diff.components) {
    const step = c.chart?.from && c.chart.to ? ` ${c.chart.from} -> ${c.chart.to}` : "";
    const app =
      c.appVersion?.from && c.appVersion.to
        ? ` (app ${c.appVersion.from} -> ${c.appVersion.to})`
        : "";
    lines.push(
      `  ${c.level.padEnd(5)}  ${c.id} ${c.kind}${c.chart?.step ? ` a ${c.chart.step} step` : ""}${step}${app}`,
    );
    for (const i of c.images)
      lines.push(
        `         image ${i.name} ${i.kind}: ${[i.from, i.to].filter(Boolean).join(" -> ")}`,
      );
    for (const s of c.settings)
      lines.push(
        `         ${s === "enabled by default" || s === "disabled by default" ? s : `${s} changed`}`,
      );
  }
  const k = p.diff.kubernetes;
  for (const v of k.dropped) lines.push(`  major  Kubernetes ${v} dropped`);
  for (const v of k.added) lines.push(`  minor  Kubernetes ${v} added`);
  for (const u of k.updated) lines.push(`  patch  Kubernetes ${u.from} -> ${u.to}`);
  for (const o of p.diff.other) lines.push(`  ${o.level.padEnd(5)}  ${o.what}`);
  lines.push(
    p.version
      ? `next version: ${p.version} (tag ${p.tag}): ${p.because}`
      : `nothing to release: ${p.because}`,
  );
  return lines.join("\n");
}

function cutText(r: ReleaseCutResult): string {
  const mark = { done: "=", applied: "+", would: "~", failed: "!", skipped: " " } as const;
  const lines = [
    `${r.dryRun ? "dry run of" : "release"} ${r.tag}${r.resumed ? " (resumed: HEAD carries the tag)" : ""}:`,
    ...r.steps.map(
      (s) =>
        `  ${mark[s.status]} ${s.name}: ${s.status === "done" ? `already done: ${s.detail}` : s.detail}`,
    ),
  ];
  if (r.dryRun)
    lines.push(
      "",
      "nothing was changed: --publish does all of it, --local the local steps and the package",
      "",
      r.notes,
    );
  else if (r.notesFile) lines.push(`notes: ${r.notesFile}, announcement: ${r.announcementFile}`);
  return lines.join("\n");
}

interface NotesFlags {
  file: string;
  pre?: string;
  version?: string;
  templates?: string;
  results?: string[];
  offline?: boolean;
  timeScale?: string;
}

function common(cmd: Command): Command {
  cmd
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option("--pre <name>", "a pre-release: the next <version>-<name>.N (e.g. rc)")
    .option("--version <version>", "release this version instead of the proposed one");
  return cmd;
}

function notesFlags(cmd: Command): Command {
  common(cmd)
    .option("--templates <dir>", "templates that replace the package's templates/ by file name")
    .option(
      "--results <file>",
      "an e2e results file to show (repeat for several)",
      (v: string, p: string[] = []) => [...p, v],
    )
    .option(
      "--offline",
      "read nothing from GitHub (highlights come from the mirror's git histories only)",
    );
  settingOption(cmd, "mirror", "a mirror whose git: entries hold upstream histories (highlights)");
  settingOption(cmd, "github-repo");
  settingOption(cmd, "github-api");
  return settingOption(cmd, "chart-oci");
}

async function notesOptions(kit: Kit, c: Command, o: NotesFlags): Promise<ReleaseNotesOptions> {
  const s = await kit.settings(c);
  const [mirror, githubRepo, githubApi, oci] = [
    s.get("mirror"),
    s.get("github-repo"),
    s.get("github-api"),
    s.get("chart-oci"),
  ];
  return {
    file: o.file,
    ...(o.pre ? { pre: o.pre } : {}),
    ...(o.version ? { version: o.version } : {}),
    ...(o.templates ? { templates: o.templates } : {}),
    ...(o.results ? { results: o.results } : {}),
    offline: Boolean(o.offline),
    ...(mirror ? { mirror } : {}),
    ...(githubRepo ? { githubRepo } : {}),
    ...(githubApi ? { githubApi } : {}),
    ...(oci ? { oci } : {}),
  };
}

/** Registers `release` and its subcommands. */
export function register(program: Command, kit: Kit): void {
  const release = program
    .command("release")
    .description("plan, write and publish an integrated release (docs/releasing.md)");

  common(release.command("plan"))
    .description(
      "compare stack.yaml with the one at the last release tag (git) and propose the next version: every change with its SemVer level",
    )
    .action(async (o: NotesFlags, c: Command) => {
      const ctx = await kit.context(c);
      const {
        stack: _s,
        git: _g,
        ...plan
      } = await (await actions()).releasePlan(ctx, {
        file: o.file,
        ...(o.pre ? { pre: o.pre } : {}),
        ...(o.version ? { version: o.version } : {}),
      });
      kit.print(c, plan, planText);
    });

  notesFlags(release.command("notes"))
    .description("render the release notes (stdout) and the announcement from the templates")
    .option("--notes-file <file>", "write the notes to this new file (an existing one is refused)")
    .option(
      "--announcement-file <file>",
      "write the announcement to this new file (an existing one is refused)",
    )
    .option("--announcement", "print the announcement instead of the notes")
    .action(
      async (
        o: NotesFlags & { notesFile?: string; announcementFile?: string; announcement?: boolean },
        c: Command,
      ) => {
        const ctx = await kit.context(c);
        const r: ReleaseNotesResult = await (await actions()).releaseNotes(ctx, {
          ...(await notesOptions(kit, c, o)),
          ...(o.notesFile ? { notesFile: o.notesFile } : {}),
          ...(o.announcementFile ? { announcementFile: o.announcementFile } : {}),
        });
        kit.print(c, r, (x) =>
          x.written.length > 0
            ? `wrote ${x.written.join(", ")}`
            : o.announcement
              ? x.announcement
              : x.notes,
        );
      },
    );

  notesFlags(release.command("cut"))
    .description(
      "cut the release: version in stack.yaml, render, CHANGELOG.md, commit, annotated tag, package; --publish also pushes, creates the GitHub release with the chart, adds it to the gh-pages index and pushes it to the OCI registry (a dry run without --publish; a rerun resumes)",
    )
    .option("--publish", "do it all, publishing included (token in GITHUB_TOKEN)")
    .option(
      "--local",
      "do the local steps and package, publish nothing (push the tag to let CI publish)",
    )
    .action(async (o: NotesFlags & { publish?: boolean; local?: boolean }, c: Command) => {
      const options = await notesOptions(kit, c, o);
      const ctx = await kit.context(c);
      const r = await interruptible(async (signal) =>
        (await actions()).releaseCut(ctx, {
          ...options,
          publish: Boolean(o.publish),
          local: Boolean(o.local),
          signal,
        }),
      );
      kit.print(c, r, cutText);
    });
}
