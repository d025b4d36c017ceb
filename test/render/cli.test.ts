/** `shoppe render` through run(): JSON shape (golden), --check exit codes, bad input. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixtureProject } from "./helpers.js";

const GOLDEN = path.join(import.meta.dirname, "golden");

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it. */
async function golden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, actual);
  expect(actual).toBe(await readFile(file, "utf8"));
}

/** The JSON with the temporary root replaced, so it is the same on every machine. */
function normalise(stdout: string, root: string): string {
  return stdout.replaceAll(root, "<root>");
}

describe("shoppe render (CLI)", () => {
  it("prints the result as JSON and writes the chart", async () => {
    const root = await fixtureProject();
    const res = await runCli(["--json", "render", "--output", "charts/demo"], root);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/\.helmignore\n/);
    json.diff = "<unified diff>";
    await golden("render-first.json", `${normalise(JSON.stringify(json, null, 2), root)}\n`);

    const again = await runCli(["--json", "render", "--output", "charts/demo"], root);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, written: false, diff: "" });
  });

  it("--check exits 0 when equal and 1 with a unified diff naming the edited file", async () => {
    const root = await fixtureProject();
    expect((await runCli(["render", "-o", "charts/demo"], root)).code).toBe(0);
    const ok = await runCli(["render", "-o", "charts/demo", "--check"], root);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("charts/demo is up to date with stack.yaml\n");

    const values = path.join(root, "charts/demo/values.yaml");
    await writeFile(
      values,
      (await readFile(values, "utf8")).replace("create: true", "create: false"),
    );
    const stale = await runCli(["render", "-o", "charts/demo", "--check"], root);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain("  modified: values.yaml\n");
    expect(stale.stdout).toContain("--- a/values.yaml\n+++ b/values.yaml\n");
    expect(stale.stdout).toMatch(/^-\s+create: false$/m);
    expect(stale.stdout).toMatch(/^\+\s+create: true$/m);

    const json = await runCli(["--json", "render", "-o", "charts/demo", "--check"], root);
    expect(json.code).toBe(1);
    await golden("render-check-stale.json", `${normalise(json.stdout, root)}`);
  });

  it("exits 2 with file:line:col diagnostics for a bad manifest and writes nothing", async () => {
    const root = await fixtureProject();
    const stack = path.join(root, "stack.yaml");
    await writeFile(
      stack,
      (await readFile(stack, "utf8")).replace("endpoint: cache.root", "endpoint: cache.nope"),
    );
    const res = await runCli(["render", "-o", "charts/demo"], root);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /stack\.yaml:\d+:\d+: components\.api\.consumes\[0\]\.endpoint: unknown endpoint "cache\.nope" \(known: hub\.http, cache\.root, cache\.host, api\.http\)/,
    );
    const listing = await import("node:fs/promises").then((fs) =>
      fs.readdir(path.join(root, "charts")),
    );
    expect(listing.sort()).toEqual(["api", "cache", "hub"]);
  });
});
