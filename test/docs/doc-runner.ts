/**
 * Runs a page's blocks as a reader would, in order: each command block as one bash script
 * (`set -eo pipefail`, so any failing command fails it), each `file` block written where the
 * commands find it, in one sandbox per page (a project, a cluster, servers). `npx shoppe` is
 * the CLI of this checkout (its sources, under tsx); the only other differences from a reader's
 * machine are the sandbox's literal replacements (loopback servers for GitHub Pages and
 * ghcr.io), applied to the text before it runs.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { it } from "vitest";
import { ROOT } from "../helpers/tools.js";
import { commandLines, type DocBlock, docBlocks, isCommandBlock } from "./doc-blocks.js";

/** Where and how a page's blocks run. */
export interface DocSandbox {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Literal replacements applied to every block before it runs. */
  replace: [string, string][];
}

/** What a block printed. */
export interface BlockRun {
  block: DocBlock;
  script: string;
  output: string;
}

/** Writes a `shoppe` command running this checkout's sources into `dir`; returns `dir`. */
export async function shoppeShim(dir: string): Promise<string> {
  const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const entry = path.join(ROOT, "test/helpers/shoppe-entry.ts");
  await mkdir(dir, { recursive: true });
  const shim = path.join(dir, "shoppe");
  await writeFile(
    shim,
    `#!/bin/sh\nexec '${process.execPath}' --import '${tsx}' '${entry}' "$@"\n`,
  );
  await chmod(shim, 0o755);
  return dir;
}

function scriptOf(b: DocBlock, s: DocSandbox): string {
  let text = b.lang === "console" ? commandLines(b).join("\n") : b.code;
  for (const [from, to] of [["npx shoppe", "shoppe"] as [string, string], ...s.replace]) {
    text = text.replaceAll(from, to);
  }
  return `set -eo pipefail\n${text}\n`;
}

/** Runs one command block; throws with the script and its output when it fails. */
export async function runBlock(b: DocBlock, s: DocSandbox, timeoutMs: number): Promise<BlockRun> {
  const script = scriptOf(b, s);
  const child = spawn("bash", ["-c", script], {
    cwd: s.cwd,
    env: s.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += String(d);
  });
  child.stderr.on("data", (d) => {
    output += String(d);
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
  const code = await new Promise<number | string>((resolve) =>
    child.once("exit", (c, sig) => resolve(c ?? sig ?? "unknown")),
  );
  clearTimeout(timer);
  if (code !== 0) {
    const tail = output.split("\n").slice(-40).join("\n");
    throw new Error(
      `${b.file}:${b.line}: the block exited ${code}\n--- script\n${script}--- output (tail)\n${tail}`,
    );
  }
  return { block: b, script, output };
}

/** The first command of a block, for the test's name. */
function title(b: DocBlock): string {
  const first = commandLines(b)[0] ?? "";
  return `${b.file}:${b.line}: ${first.length > 70 ? `${first.slice(0, 70)}…` : first}`;
}

/**
 * Declares one test per block of `file` that runs here (command blocks not skipped, and file
 * blocks), in the page's order; `check` sees each block's output for extra assertions.
 */
export function docTests(
  file: string,
  sandbox: () => DocSandbox,
  o: { timeoutMs?: number; check?: (run: BlockRun) => void | Promise<void> } = {},
): void {
  const blocks = docBlocks(file, readFileSync(path.join(ROOT, file), "utf8"));
  const timeoutMs = o.timeoutMs ?? 120_000;
  for (const b of blocks) {
    if (b.directive?.kind === "file") {
      const target = b.directive.path;
      it(`${file}:${b.line}: writes ${target}`, async () => {
        const abs = path.resolve(sandbox().cwd, target);
        await mkdir(path.dirname(abs), { recursive: true });
        await writeFile(abs, `${b.code}\n`);
      });
      continue;
    }
    if (!isCommandBlock(b) || b.directive?.kind === "skip") continue;
    it(
      title(b),
      async () => {
        const run = await runBlock(b, sandbox(), timeoutMs);
        await o.check?.(run);
      },
      timeoutMs + 10_000,
    );
  }
}
