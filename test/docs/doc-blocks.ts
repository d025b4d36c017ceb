/**
 * The fenced blocks of a Markdown page, for the doc tests. A block is a *command block* when
 * it is shell (`sh`, `bash`, `shell`, `console`) and runs `shoppe` or `helm`; the doc test of
 * its page runs every command block, in order, unless the line just above its fence says why
 * it cannot run here:
 *
 *     <!-- doctest: skip: <why, in words> -->
 *
 * Another directive writes a block (a values file, say) where the commands after it find it:
 *
 *     <!-- doctest: file <relative path> -->
 */

/** One fenced block. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** The block's text, its indentation removed. */
  code: string;
  directive?:
    | { kind: "skip"; reason: string }
    | { kind: "file"; path: string }
    | { kind: "bad"; text: string };
}

const SHELL = new Set(["sh", "bash", "shell", "console"]);

/** A line that runs shoppe or helm (after `npx`, variable assignments or a `$ ` prompt). */
const COMMAND = /(^|[;&|(]\s*|\$\s+)(\w+=\S*\s+)*(npx\s+)?(shoppe|helm)(\s|$)/;

function directiveOf(text: string): DocBlock["directive"] {
  const m = /^<!--\s*doctest:\s*(.*?)\s*-->$/.exec(text.trim());
  if (!m) return undefined;
  const body = m[1] ?? "";
  const skip = /^skip:\s*(.*)$/.exec(body);
  if (skip) return { kind: "skip", reason: skip[1] ?? "" };
  const file = /^file\s+(\S+)$/.exec(body);
  if (file) return { kind: "file", path: file[1] ?? "" };
  return { kind: "bad", text: body };
}

/** Every fenced block of a page. */
export function docBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```([\w-]*)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const indent = open[1] ?? "";
    let end = i + 1;
    while (end < lines.length && (lines[end] ?? "").trim() !== "```") end++;
    const code = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
      .join("\n");
    let prev = i - 1;
    while (prev >= 0 && (lines[prev] ?? "").trim() === "") prev--;
    const directive = prev >= 0 ? directiveOf(lines[prev] ?? "") : undefined;
    blocks.push({
      file,
      line: i + 1,
      lang: open[2] ?? "",
      code,
      ...(directive ? { directive } : {}),
    });
    i = end;
  }
  return blocks;
}

/** The lines of a shell block that are commands (a console block's `$ ` lines only). */
export function commandLines(b: DocBlock): string[] {
  const lines = b.code.split("\n");
  if (b.lang === "console") return lines.filter((l) => l.startsWith("$ ")).map((l) => l.slice(2));
  return lines.filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/** Whether `b` is a command block (shell, running shoppe or helm). */
export function isCommandBlock(b: DocBlock): boolean {
  return SHELL.has(b.lang) && commandLines(b).some((l) => COMMAND.test(l));
}

/** What is wrong with a page's directives and command blocks, one line each. */
export function blockProblems(blocks: readonly DocBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const at = `${b.file}:${b.line}`;
    const d = b.directive;
    if (d?.kind === "bad") out.push(`${at}: unknown doctest directive "${d.text}"`);
    if (d?.kind === "skip" && d.reason.trim().length < 20) {
      out.push(`${at}: a skipped block must say why it cannot run here (at least a sentence)`);
    }
    if (d?.kind === "skip" && !isCommandBlock(b)) {
      out.push(`${at}: skips a block that runs neither shoppe nor helm`);
    }
    if (d?.kind === "file" && isCommandBlock(b))
      out.push(`${at}: a command block cannot be a file`);
    if (isCommandBlock(b) && b.lang === "console" && commandLines(b).length === 0) {
      out.push(`${at}: a console block's commands start with "$ "`);
    }
  }
  return out;
}
