/**
 * The README's tables, true to the files they describe: every pin of scripts/tool-versions.env
 * in "Pinned tools", every package of package.json in the dependency table, every path of
 * "Layout" present, and every source directory named there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/tools.js";

const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The rows (cells, trimmed) of the first table under the heading `## <title>`. */
function table(title: string): string[][] {
  const section = README.split(`\n## ${title}\n`)[1]?.split("\n## ")[0] ?? "";
  return section
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("|---"))
    .slice(1)
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");

describe("README.md", () => {
  it("pins every tool as scripts/tool-versions.env does", () => {
    const env = readFileSync(path.join(ROOT, "scripts/tool-versions.env"), "utf8");
    const pins = [...env.matchAll(/^\w+_VERSION=(.+)$/gm)].map((m) => m[1]);
    const shown = table("Pinned tools").map((r) => r[1]);
    for (const pin of pins) expect(shown, `pin ${pin}`).toContain(pin);
  });

  it("says why each package of package.json is there", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const named = table("Dependencies and why each is there").flatMap((r) => ticked(r[0] ?? ""));
    const packages = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];
    for (const name of packages.filter((n) => !n.startsWith("@types/"))) {
      expect(named, name).toContain(name);
    }
  });

  it("lays out paths that exist, and names every directory of src/", () => {
    // Written by `shoppe release cut` at the first release.
    const atRelease = new Set(["CHANGELOG.md", "release-changes.yaml"]);
    const rows = table("Layout");
    const paths = rows.flatMap((r) => ticked(r[0] ?? "")).filter((p) => !atRelease.has(p));
    for (const p of paths) expect(existsSync(path.join(ROOT, p)), p).toBe(true);
    const src = rows.find((r) => r[0] === "`src/`")?.[1] ?? "";
    const dirs = readdirSync(path.join(ROOT, "src"), { withFileTypes: true });
    for (const d of dirs.filter((e) => e.isDirectory())) {
      expect(ticked(src), `src/${d.name}/`).toContain(`${d.name}/`);
    }
  });
});
