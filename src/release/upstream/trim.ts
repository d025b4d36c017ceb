/**
 * Upstream highlights trimmed for people, purely: from commits, merge commits and bots' commits
 * go, each keeps its first line; from release bodies, the bullet lines (GitHub's generated
 * "What's Changed" lists) without the author and URL tails, headings and "Full Changelog"
 * lines dropped. At most `cap` items; the rest is counted ("and N more").
 */
import type { GitCommit } from "../../tools/git.js";

/** Highlights of one component, capped. */
export interface Trimmed {
  items: string[];
  /** How many more there were past the cap. */
  more: number;
}

/** Authors whose commits are automation, not changes a facility reads about. */
const BOT = /\[bot\]$|^(dependabot|renovate|pre-commit-ci|github-actions|allcontributors)\b/i;

/** Subjects that only record merges or automated housekeeping. */
const NOISE =
  /^(Merge (pull request|branch|remote-tracking)|Revert "Merge|\[pre-commit\.ci\]|pre-commit autoupdate)/i;

/** The default number of items shown per component. */
export const DEFAULT_CAP = 10;

function cap(items: string[], n: number): Trimmed {
  const unique = [...new Set(items.map((i) => i.trim()).filter(Boolean))];
  return { items: unique.slice(0, n), more: Math.max(0, unique.length - n) };
}

/** Whether a commit is kept as a highlight. */
export function isHighlight(c: GitCommit): boolean {
  return c.parents <= 1 && !BOT.test(c.author) && !NOISE.test(c.subject);
}

/** Commits (newest first) as highlights. */
export function trimCommits(commits: readonly GitCommit[], n = DEFAULT_CAP): Trimmed {
  return cap(
    commits.filter(isHighlight).map((c) => c.subject),
    n,
  );
}

/** `* Fix x by @someone in https://github.com/o/r/pull/12` → `Fix x (#12)`. */
function bullet(line: string): string | undefined {
  const m = /^\s{0,3}[-*+]\s+(.+)$/.exec(line);
  if (!m?.[1]) return undefined;
  let text = m[1].trim();
  const pr = /\s+in\s+https:\/\/github\.com\/[^\s/]+\/[^\s/]+\/pull\/(\d+)\s*$/.exec(text);
  if (pr) text = `${text.slice(0, pr.index)} (#${pr[1]})`;
  text = text.replace(/\s+by\s+@[\w-]+(\[bot\])?(?=\s*(\(#\d+\))?$)/, "");
  if (/@[\w-]+\[bot\]|^(Bump|chore\(deps)/i.test(m[1]) && /\[bot\]/.test(m[1])) return undefined;
  if (/^\*\*Full Changelog\*\*|^@[\w-]+ made their first contribution/i.test(text))
    return undefined;
  return text;
}

/** Release bodies (newest release first) as highlights: their bullet lines. */
export function trimReleaseBodies(bodies: readonly string[], n = DEFAULT_CAP): Trimmed {
  const items: string[] = [];
  for (const body of bodies) {
    let skipping = false;
    for (const line of body.split(/\r?\n/)) {
      if (/^#{1,6}\s/.test(line)) {
        skipping = /new contributors/i.test(line);
        continue;
      }
      if (skipping) continue;
      const b = bullet(line);
      if (b) items.push(b);
    }
  }
  return cap(items, n);
}
