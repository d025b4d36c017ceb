/**
 * Output paths for `render -o`: literal paths (the project root by every name, its ancestors,
 * first-party charts, `.git`, files, paths below files, the rendered chart through a link) and
 * entries made for the case (made-targets.ts), spelled in several ways (relative, absolute,
 * through `..`, through a link to the project) and run from several directories (`-C`). Each
 * target knows the exit codes of `render` and `render --check` (undefined: any sane code).
 */
import path from "node:path";
import fc from "fast-check";
import { type Expect, MADE } from "./made-targets.js";
import { RENDERED, type Sandbox } from "./sandbox.js";

/** How an entry made for the case is spelled on the command line. */
const SPELLINGS = [
  "plain",
  "dot",
  "trailing",
  "double-slash",
  "via-parent",
  "via-missing",
  "absolute",
  "alias",
] as const;

/** One output case: a target, and where shoppe runs from (the project, or elsewhere with -C). */
export interface OutputCase {
  target:
    | { literal: string }
    | {
        made: string;
        where: "project" | "charts" | "outside";
        name: string;
        variant: number;
        spelling: (typeof SPELLINGS)[number];
      };
  cwd: "project" | "chdir" | "chdir-alias";
}

const LONG = "n".repeat(300);

/** Literal -o values ({project}, {sandbox}, {long} expanded) and their exit codes. */
const LITERALS: Record<string, Expect> = {
  ".": [2, 2],
  "": [2, 2],
  " ": [2, 2],
  "./": [2, 2],
  "..": [2, 2],
  "../": [2, 2],
  "charts/..": [2, 2],
  "nowhere/..": [2, 2],
  "../project": [2, 2],
  "../alias": [2, 2],
  "{project}": [2, 2],
  "{project}/": [2, 2],
  "{sandbox}": [2, 2],
  "{sandbox}/alias/": [2, 2],
  charts: [2, 2],
  "charts/xcache": [2, 2],
  "charts/triton/": [2, 2],
  "charts/xcache/templates": [2, 2],
  "charts/xcache/Chart.yaml": [2, 2],
  ".git": [2, 2],
  ".git/objects": [2, 2],
  ".git/HEAD": [2, 2],
  "stack.yaml": [2, 2],
  "stack.yaml/x": [2, 2],
  "../outside": [2, 2],
  "../outside/kept/data.txt/x": [2, 2],
  "{long}": [2, 2],
  "{long}/x": [2, 2],
  // The README shows the chart's path in a one-line command.
  "line\nbreak": [2, 2],
  "line\nbreak/../out": [0, 1],
  [RENDERED]: [0, 0],
  [`{project}/${RENDERED}`]: [0, 0],
  [`../alias/${RENDERED}`]: [0, 0],
};

const NAMES = ["out", "chart dir", "ünïcödé", ".hidden", "...", "-dash", "#", "$HOME", "'q'"];

/** Output cases: literal paths, and made entries of every kind under every spelling. */
export const outputCase: fc.Arbitrary<OutputCase> = fc.record({
  target: fc.oneof(fc.record({ literal: fc.constantFrom(...Object.keys(LITERALS)) }), {
    weight: 3,
    arbitrary: fc.record({
      made: fc.constantFrom(...Object.keys(MADE)),
      where: fc.constantFrom("project", "charts", "outside"),
      name: fc.constantFrom(...NAMES),
      variant: fc.nat({ max: 99 }),
      spelling: fc.constantFrom(...SPELLINGS),
    }),
  }),
  cwd: fc.constantFrom("project", "chdir", "chdir-alias"),
});

/** A case made real in `s`: the argv, its working directory, what -o names, and the codes. */
export interface PreparedCase {
  argv: (check: boolean) => string[];
  cwd: string;
  /** The -o path, absolute (what render resolves it to). */
  outDir: string;
  expect: Expect;
  cleanup?: () => Promise<void>;
}

function spell(rel: string, spelling: (typeof SPELLINGS)[number], s: Sandbox): string {
  if (spelling === "dot") return `./${rel}`;
  if (spelling === "trailing") return `${rel}/`;
  if (spelling === "double-slash")
    return rel.includes("/") ? rel.replaceAll("/", "//") : `.//${rel}`;
  if (spelling === "via-parent") return `charts/../${rel}`;
  if (spelling === "via-missing") return `nowhere/../${rel}`;
  if (spelling === "absolute") return path.join(s.project, rel);
  if (spelling === "alias") return path.join(s.dir, "alias", rel);
  return rel;
}

/** Makes `c` real in the sandbox `s`. */
export async function prepare(c: OutputCase, s: Sandbox): Promise<PreparedCase> {
  const chdir = { project: [], chdir: ["-C", "project"], "chdir-alias": ["-C", "alias"] }[c.cwd];
  const cwd = c.cwd === "project" ? s.project : s.dir;
  const argv = (out: string) => (check: boolean) => [
    ...chdir,
    "render",
    ...(check ? ["--check"] : []),
    "-o",
    out,
  ];
  if ("literal" in c.target) {
    const out = c.target.literal
      .replace("{project}", s.project)
      .replace("{sandbox}", s.dir)
      .replace("{long}", LONG);
    const expect = LITERALS[c.target.literal] ?? [undefined, undefined];
    return { argv: argv(out), cwd, outDir: path.resolve(s.project, out), expect };
  }
  const made = MADE[c.target.made];
  if (!made) throw new Error(`unknown made target ${c.target.made}`);
  const base = { project: "", charts: "charts", outside: "../outside" }[c.target.where];
  const entry = path.join(base, c.target.name);
  const cleanup = await made.setup(path.join(s.project, entry), s, c.target.variant);
  const rel = made.below ? path.join(entry, made.below) : entry;
  const out = spell(rel, c.target.spelling, s);
  return {
    argv: argv(out),
    cwd,
    outDir: path.resolve(s.project, rel),
    expect: made.expect,
    cleanup,
  };
}
