/**
 * `mirror.yaml`: which upstream location each folder of a mirror stands for, and which archives
 * are deliberately not the bytes upstream publishes (`substitutes`, each with its reason). Every
 * path is relative to the mirror and must stay inside it. Loaded strictly: unknown keys, bad
 * URLs, escaping paths and duplicates are InputErrors with `file:line:col` (exit 2).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { type Diagnostic, InputError } from "../errors.js";
import { sameRepositoryUrl } from "../helm/repositories.js";
import { parseYamlFile } from "../manifest/parse.js";
import { formatPath } from "../manifest/positions.js";
import { issuesToDiagnostics } from "../manifest/schema-issues.js";

/** The file that makes a folder a mirror. */
export const MIRROR_FILE = "mirror.yaml";

const nonEmpty = z.string().min(1, "must not be empty");
const httpUrl = nonEmpty.regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL");

const Folder = z.strictObject({ url: nonEmpty, path: nonEmpty });

/** The mirror.yaml model. */
export const MirrorSchema = z.strictObject({
  charts: z.array(z.strictObject({ url: httpUrl, path: nonEmpty })).default([]),
  git: z.array(Folder).default([]),
  substitutes: z
    .array(
      z.strictObject({
        repository: httpUrl,
        chart: nonEmpty,
        version: nonEmpty,
        archive: nonEmpty,
        reason: nonEmpty,
      }),
    )
    .default([]),
});

/** mirror.yaml as written. */
export type MirrorDoc = z.infer<typeof MirrorSchema>;

/** A chart repository folder of a mirror. */
export interface MirrorFolder {
  url: string;
  /** Relative to the mirror, as written. */
  path: string;
}

/** An archive declared as not the published bytes. */
export interface MirrorSubstitute {
  repository: string;
  chart: string;
  version: string;
  /** Relative to the mirror, as written. */
  archive: string;
  reason: string;
}

/** A loaded mirror. */
export interface Mirror {
  /** Absolute directory. */
  dir: string;
  /** The directory as the user named it, for messages. */
  shown: string;
  charts: MirrorFolder[];
  git: MirrorFolder[];
  substitutes: MirrorSubstitute[];
}

/** Whether a relative path stays inside the directory it is relative to. */
export function staysInside(rel: string): boolean {
  if (path.isAbsolute(rel) || rel.includes("\0")) return false;
  const normal = path.normalize(rel);
  return normal !== ".." && !normal.startsWith(`..${path.sep}`) && normal !== ".";
}

function semanticProblems(
  doc: MirrorDoc,
  locate: (p: (string | number)[]) => Diagnostic["position"],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = (p: (string | number)[], message: string) =>
    out.push({ position: locate(p), path: formatPath(p), message });
  for (const list of ["charts", "git"] as const) {
    doc[list].forEach((f, i) => {
      if (!staysInside(f.path)) problem([list, i, "path"], "must be a path inside the mirror");
      const first = doc[list].findIndex((g) => sameRepositoryUrl(g.url, f.url));
      if (first < i) problem([list, i, "url"], `${f.url} is already the url of ${list}[${first}]`);
    });
  }
  doc.substitutes.forEach((s, i) => {
    if (!staysInside(s.archive))
      problem(["substitutes", i, "archive"], "must be a path inside the mirror");
    const first = doc.substitutes.findIndex(
      (t) =>
        sameRepositoryUrl(t.repository, s.repository) &&
        t.chart === s.chart &&
        t.version === s.version,
    );
    if (first < i)
      problem(
        ["substitutes", i],
        `${s.chart} ${s.version} is already declared at substitutes[${first}]`,
      );
  });
  return out;
}

/** Loads and checks `<dir>/mirror.yaml`; `shown` names the directory in messages. */
export async function loadMirror(dir: string, shown = dir): Promise<Mirror> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new InputError(
      `failed to use the mirror ${shown}: ${st ? "it is not a directory" : "no such directory"}; a mirror is a folder with a ${MIRROR_FILE} (see docs/mirrors.md), written by \`shoppe mirror create\``,
    );
  }
  const fileShown = path.join(shown, MIRROR_FILE);
  const { positioned, value } = await parseYamlFile(path.join(dir, MIRROR_FILE), fileShown);
  const invalid = (diagnostics: Diagnostic[]) =>
    new InputError(`failed to load ${fileShown}: not a valid mirror description`, diagnostics);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid([
      { position: positioned.locate([]), path: "", message: "the document must be a mapping" },
    ]);
  }
  const parsed = MirrorSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalid(issuesToDiagnostics(parsed.error.issues, positioned));
  const problems = semanticProblems(parsed.data, (p) => positioned.locate(p));
  if (problems.length > 0) throw invalid(problems);
  return { dir: path.resolve(dir), shown, ...parsed.data };
}
