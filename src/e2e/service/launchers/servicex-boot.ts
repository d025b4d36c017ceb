/**
 * The command lines of ServiceX's images, which their Deployments do not set: each image runs
 * its `boot.sh` (ENTRYPOINT), whose last line execs gunicorn. The tier reads that line from
 * the checked-out source and runs it with the listen address moved to a loopback port and the
 * image's absolute paths (`/tmp/gunicorn.log`) moved into the tier's directory.
 */
import { readFile } from "node:fs/promises";

/** Splits a shell command line into words (single and double quotes; no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words;
}

/** The gunicorn command line `boot.sh` execs, as words (without `exec`). */
export async function bootGunicorn(bootSh: string): Promise<string[]> {
  const text = await readFile(bootSh, "utf8");
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^exec gunicorn\s/.test(l));
  if (!line) throw new Error(`${bootSh} execs no gunicorn`);
  return shellWords(line).slice(1);
}

/**
 * The image's gunicorn words for a local run: `gunicorn` → `binary`, `-b :5000` → loopback
 * `port`, an absolute log file → `logDir`.
 */
export function localGunicorn(
  words: string[],
  o: { binary: string; port: number; logDir: string },
): string[] {
  const out = [o.binary];
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    if ((w === "-b" || w === "--bind") && next !== undefined) {
      out.push(w, `127.0.0.1:${o.port}`);
      i++;
    } else if (/^--(access|error)-logfile$/.test(w) && next?.startsWith("/")) {
      out.push(w, `${o.logDir}/${next.split("/").at(-1)}`);
      i++;
    } else out.push(w);
  }
  return out;
}
