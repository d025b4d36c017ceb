/**
 * The Handlebars templates of a release: `templates/` of this package, each file replaceable
 * by one of the same name in a `--templates` directory. One environment per run
 * (`Handlebars.create()`), its helpers and partials registered once, each template compiled
 * once. `{{ }}` keeps Handlebars' HTML escaping (text bound for HTML or SVG); Markdown
 * templates bind text through the Markdown helpers (`md`, `code`, `link`, `cell`), which
 * escape for Markdown (src/chart/escape/markdown.ts); YAML templates through `yaml`.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { mdCell, mdCode, mdLink, mdText } from "../../chart/escape/markdown.js";
import { shellWord } from "../../chart/escape/shell.js";
import { InputError, InputFileError, UsageError } from "../../errors.js";
import { readInputText } from "../../io/read-input.js";
import { packageRoot } from "../../package-root.js";

/** The package's own templates. */
export const DEFAULT_TEMPLATES = path.join(packageRoot(), "templates");

/** The templates a release renders. */
export const TEMPLATE_NAMES = [
  "release-notes.md.hbs",
  "announcement.md.hbs",
  "changelog-entry.md.hbs",
  "artifacthub-changes.yaml.hbs",
] as const;

/** One of them. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

type HB = typeof import("handlebars");

/** Compiled templates and the environment they share. */
export interface TemplateSet {
  render(name: TemplateName, data: unknown): string;
  /** Where each template came from (the default folder or the override). */
  origins: Record<TemplateName, string>;
  /** The helpers registered (once) in this set's environment. */
  helpers: string[];
}

/** Markdown text with each `#<number>` linked to `repo`'s pull request (GitHub redirects issues). */
function withReferences(text: string, repo: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) return mdText(text);
  return text
    .split(/(#\d+)\b/)
    .map((part, i) =>
      i % 2 === 1 ? mdLink(part, `https://github.com/${repo}/pull/${part.slice(1)}`) : mdText(part),
    )
    .join("");
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

function registerHelpers(hb: HB): void {
  const safe = (s: string) => new hb.SafeString(s);
  hb.registerHelper({
    md: (v: unknown) => safe(mdText(str(v))),
    code: (v: unknown) => safe(mdCode(str(v))),
    link: (text: unknown, url: unknown) => safe(mdLink(str(text), str(url))),
    cell: (v: unknown) => safe(mdCell(mdText(str(v)))),
    // Text whose `#123` references become links to that repository's pull requests.
    refs: (v: unknown, repo: unknown) => safe(withReferences(str(v), str(repo))),
    // A YAML double-quoted scalar (JSON strings are valid YAML): any text, one line.
    yaml: (v: unknown) => safe(JSON.stringify(str(v))),
    shell: (v: unknown) => safe(shellWord(str(v))),
    eq: (a: unknown, b: unknown) => a === b,
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    not: (a: unknown) => !a,
    plural: (n: unknown, one: unknown, many: unknown) => (Number(n) === 1 ? str(one) : str(many)),
    join: (list: unknown, sep: unknown) =>
      Array.isArray(list) ? list.map(str).join(typeof sep === "string" ? sep : ", ") : "",
    concat: (...args: unknown[]) => args.slice(0, -1).map(str).join(""),
    // "old → new", "new", or "old → (removed)", for tables.
    arrow: (from: unknown, to: unknown) => {
      const [f, t] = [str(from), str(to)];
      return f && t ? `${f} → ${t}` : t || (f ? `${f} → (removed)` : "");
    },
  });
}

/** A template's text, or undefined when there is none (a FIFO or device is refused, never read). */
async function readTemplate(dir: string, name: string): Promise<string | undefined> {
  return readInputText(path.join(dir, name)).catch((err: unknown) => {
    if (err instanceof InputFileError && err.missing) return undefined;
    throw err;
  });
}

/** Loads the templates (and `partials/*.hbs`), overrides from `overrideDir` first. */
export async function loadTemplates(
  overrideDir?: string,
  shownOverride?: string,
): Promise<TemplateSet> {
  if (overrideDir && !(await stat(overrideDir).catch(() => undefined))?.isDirectory()) {
    // A mistyped --templates would otherwise render the package's templates without a word.
    throw new UsageError(
      `failed to read --templates ${shownOverride ?? overrideDir}: not a directory; name the directory holding your templates`,
    );
  }
  const Handlebars = (await import("handlebars")).default;
  const hb = Handlebars.create();
  registerHelpers(hb);
  const dirs = overrideDir ? [overrideDir, DEFAULT_TEMPLATES] : [DEFAULT_TEMPLATES];
  for (const dir of [...dirs].reverse()) {
    const partials = await readdir(path.join(dir, "partials")).catch(() => [] as string[]);
    for (const f of partials.filter((p) => p.endsWith(".hbs")).sort()) {
      const text = await readTemplate(path.join(dir, "partials"), f);
      if (text !== undefined) hb.registerPartial(f.replace(/\.(md|yaml)?\.?hbs$/, ""), text);
    }
  }
  const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();
  const origins = {} as Record<TemplateName, string>;
  for (const name of TEMPLATE_NAMES) {
    for (const dir of dirs) {
      const text = await readTemplate(dir, name);
      if (text === undefined) continue;
      const shown =
        dir === overrideDir ? path.join(shownOverride ?? dir, name) : `templates/${name}`;
      try {
        compiled.set(name, hb.compile(text, { strict: false, preventIndent: true }));
        hb.precompile(text); // parses now: a syntax error names the file, not a later render
      } catch (err) {
        throw new InputError(
          `failed to compile ${shown}: ${(err as Error).message.split("\n")[0]}`,
        );
      }
      origins[name] = shown;
      break;
    }
    if (!compiled.has(name))
      throw new InputError(`failed to find template ${name} in ${dirs.join(" or ")}`);
  }
  return {
    origins,
    helpers: Object.keys(hb.helpers).sort(),
    render(name, data) {
      const t = compiled.get(name) as HandlebarsTemplateDelegate;
      try {
        return t(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      } catch (err) {
        throw new InputError(
          `failed to render ${origins[name]}: ${(err as Error).message.split("\n")[0]}`,
        );
      }
    },
  };
}
