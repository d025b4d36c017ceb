/**
 * The data every release template reads, built purely from the plan, the manifest, the
 * upstream highlights, the e2e results and the publishing targets. Templates only format it:
 * text is raw here and escaped where a template binds it.
 */
import type { Stack } from "../../manifest/schema.js";
import type { LevelReason } from "../next-version.js";
import type { ReleasePlan } from "../plan.js";
import type { ComponentChange, Level } from "../stack-diff.js";
import type { ReleaseTargets } from "../targets.js";
import type { ComponentHighlights } from "../upstream/highlights.js";
import type { ResultSummary } from "./results.js";

/** One row of the components table. */
export interface ComponentRow {
  id: string;
  displayName: string;
  kind: ComponentChange["kind"] | "unchanged";
  level?: Level;
  chart: string;
  from?: string;
  to?: string;
  appFrom?: string;
  appTo?: string;
  github: string;
  releaseUrl: string;
  compareUrl?: string;
  images: ComponentChange["images"];
  settings: string[];
  highlights?: ComponentHighlights;
  breaking: boolean;
  /** One line: what happened to it (the changelog and artifacthub.io/changes use it). */
  summary: string;
}

/** What the templates see. */
export interface NotesData {
  name: string;
  description: string;
  version: string;
  tag: string;
  prerelease: boolean;
  date: string;
  level?: Level;
  because: string;
  previous?: { version: string; tag: string };
  repository: string;
  releaseUrl: string;
  compareUrl?: string;
  /** Components that changed, then the rest. */
  changed: ComponentRow[];
  unchanged: ComponentRow[];
  breaking: ComponentRow[];
  reasons: LevelReason[];
  /** The plan's Kubernetes changes, and the supported minor releases (`1.34`). */
  kubernetes: ReleasePlan["diff"]["kubernetes"] & { minors: string[] };
  other: string[];
  results: ResultSummary[];
  install: {
    repoName: string;
    repoUrl: string;
    /** `<repoName>/<chart>`, as helm install names it. */
    repoChart: string;
    oci: string;
    release: string;
    namespace: string;
  };
  firstRelease: boolean;
}

/** What the data is built from. */
export interface NotesInput {
  plan: ReleasePlan & { version: string; tag: string };
  stack: Stack;
  highlights: ComponentHighlights[];
  results: ResultSummary[];
  targets: ReleaseTargets;
  /** The release date, from the injected clock. */
  now: Date;
}

function unchangedRow(id: string, s: Stack): ComponentRow {
  const c = s.components[id];
  const version = c?.chart?.version;
  const github = c?.source.github ?? "";
  return {
    id,
    displayName: c?.displayName ?? id,
    kind: "unchanged",
    chart: c?.chart?.name ?? id,
    ...(version ? { to: version } : {}),
    ...(c ? { appTo: c.appVersion } : {}),
    github,
    releaseUrl: `https://github.com/${github}/releases`,
    images: [],
    settings: [],
    breaking: false,
    summary: `${c?.displayName ?? id} unchanged`,
  };
}

function summary(c: ComponentChange): string {
  const app =
    c.appVersion?.from && c.appVersion.to ? ` (app ${c.appVersion.from} → ${c.appVersion.to})` : "";
  if (c.kind === "added")
    return `${c.displayName} ${c.chart?.to ?? c.appVersion?.to ?? ""} added`.replace("  ", " ");
  if (c.kind === "removed") return `${c.displayName} removed`;
  if (c.chart?.from && c.chart.to) return `${c.displayName} ${c.chart.from} → ${c.chart.to}${app}`;
  if (app) return `${c.displayName}${app}`;
  const what = [...(c.images.length ? [`${c.images.length} image(s)`] : []), ...c.settings];
  return `${c.displayName}: ${what.join(", ")}`;
}

/** An image change as people read it: the tags only when the repository stays. */
function imageText(i: ComponentChange["images"][number]): ComponentChange["images"][number] {
  const repo = (ref?: string) => ref?.slice(0, ref.lastIndexOf(":"));
  const tag = (ref?: string) => ref?.slice(ref.lastIndexOf(":") + 1);
  if (i.kind !== "changed" || repo(i.from) !== repo(i.to)) return i;
  return { ...i, ...(i.from ? { from: tag(i.from) } : {}), ...(i.to ? { to: tag(i.to) } : {}) };
}

function changedRow(
  c: ComponentChange,
  h: ComponentHighlights | undefined,
  app: string | undefined,
): ComponentRow {
  return {
    id: c.id,
    displayName: c.displayName,
    kind: c.kind,
    level: c.level,
    chart: c.chart?.name ?? c.id,
    ...(c.chart?.from ? { from: c.chart.from } : {}),
    ...(c.chart?.to ? { to: c.chart.to } : {}),
    ...(c.appVersion?.from ? { appFrom: c.appVersion.from } : {}),
    ...(c.appVersion?.to
      ? { appTo: c.appVersion.to }
      : app && c.kind !== "removed"
        ? { appTo: app }
        : {}),
    github: c.github,
    releaseUrl: h?.releaseUrl ?? `https://github.com/${c.github}/releases`,
    ...(h?.compareUrl ? { compareUrl: h.compareUrl } : {}),
    images: c.images.map(imageText),
    settings: c.settings,
    ...(h ? { highlights: h } : {}),
    breaking: c.level === "major",
    summary: summary(c),
  };
}

/** Builds the template data. */
export function notesData(input: NotesInput): NotesData {
  const { plan, stack, targets } = input;
  const byId = new Map(input.highlights.map((h) => [h.id, h]));
  const changed = plan.diff.components.map((c) =>
    changedRow(c, byId.get(c.id), stack.components[c.id]?.appVersion),
  );
  const changedIds = new Set(changed.map((c) => c.id));
  const unchanged = Object.keys(stack.components)
    .filter((id) => !changedIds.has(id))
    .map((id) => unchangedRow(id, stack));
  const web = `https://github.com/${targets.repository}`;
  const chart = stack.release.name;
  return {
    name: chart,
    description: stack.release.description,
    version: plan.version,
    tag: plan.tag,
    prerelease: plan.version.includes("-"),
    date: input.now.toISOString().slice(0, 10),
    ...(plan.level ? { level: plan.level } : {}),
    because: plan.because,
    ...(plan.previous
      ? { previous: { version: plan.previous.version, tag: plan.previous.tag } }
      : {}),
    repository: targets.repository,
    releaseUrl: `${web}/releases/tag/${plan.tag}`,
    ...(plan.previous ? { compareUrl: `${web}/compare/${plan.previous.tag}...${plan.tag}` } : {}),
    changed,
    unchanged,
    breaking: changed.filter((c) => c.breaking),
    reasons: plan.reasons,
    kubernetes: {
      ...plan.diff.kubernetes,
      minors: plan.diff.kubernetes.supported.map((v) => v.split(".").slice(0, 2).join(".")),
    },
    other: plan.diff.other.map((o) => o.what),
    results: input.results,
    install: {
      repoName: chart,
      repoUrl: targets.helmRepoUrl,
      repoChart: `${chart}/${chart}`,
      oci: `${targets.oci}/${chart}`,
      release: chart,
      namespace: chart,
    },
    firstRelease: !plan.previous,
  };
}
