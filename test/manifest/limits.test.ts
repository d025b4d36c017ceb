/**
 * The bounds that keep render's work in proportion to the manifest: list and map sizes in the
 * schema, and the endpoint wiring's size (consumers × endpoints) as a rule.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadStack } from "../../src/manifest/load.js";
import { tempDir } from "../render/helpers.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/manifests");
const MINIMAL = path.join(FIXTURES, "valid-minimal.yaml");

/** Loads `text` beside the corpus's first-party charts; its diagnostics as `path: message`. */
async function problems(text: string): Promise<string[]> {
  const dir = await tempDir();
  await cp(path.join(FIXTURES, "charts"), path.join(dir, "charts"), { recursive: true });
  await writeFile(path.join(dir, "stack.yaml"), text);
  try {
    await loadStack(path.join(dir, "stack.yaml"));
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics.map((d) => `${d.path}: ${d.message}`);
    throw err;
  }
  return [];
}

/** A disabled component without a chart, `id`, with `extra` lines inside it. */
function component(id: string, extra = ""): string {
  return `  ${id}:\n    displayName: X\n    description: X\n    enabled: false\n    appVersion: "1"\n${extra}    source:\n      github: example/x\n`;
}

describe("manifest size bounds", () => {
  it("refuses more than 100 components", async () => {
    const base = await readFile(MINIMAL, "utf8");
    const many = Array.from({ length: 99 }, (_, i) => component(`c${i}x`)).join("");
    expect(await problems(base.replace("profiles:\n", `${many}profiles:\n`))).toEqual([
      "components: has 101 entries; shoppe supports at most 100 here",
    ]);
  });

  it("refuses more than 100 endpoints in a component", async () => {
    const endpoints = Array.from(
      { length: 101 },
      (_, i) =>
        `      - name: e${i}\n        env: E_${i}\n        url: http://x.{namespace}.svc:80\n`,
    ).join("");
    const base = await readFile(MINIMAL, "utf8");
    const text = base.replace(
      "profiles:\n",
      `${component("many", `    endpoints:\n${endpoints}`)}profiles:\n`,
    );
    expect(await problems(text)).toEqual([
      "components.many.endpoints: has 101 entries; shoppe supports at most 100 here",
    ]);
  });

  it("refuses endpoint wiring of more than 10000 environment entries", async () => {
    const endpoints = (c: number) =>
      Array.from(
        { length: 100 },
        (_, i) =>
          `      - name: e${i}\n        env: E_${c}_${i}\n        url: http://x.{namespace}.svc:80\n`,
      ).join("");
    const comps = Array.from({ length: 3 }, (_, c) =>
      component(`c${c}x`, `    endpointEnv: env\n    endpoints:\n${endpoints(c)}`),
    ).join("");
    const base = await readFile(MINIMAL, "utf8");
    const fine = await problems(base.replace("profiles:\n", `${comps}profiles:\n`));
    expect(fine).toEqual([]);
    // 2 consumers × 9,601 endpoints of the others: 19,202 entries, in 100 components.
    const consumers = [
      component("d0x", "    endpointEnv: env\n"),
      component("d1x", "    endpointEnv: env\n"),
    ];
    const producers = Array.from({ length: 96 }, (_, c) =>
      component(`e${c}x`, `    endpoints:\n${endpoints(c + 10)}`),
    );
    const text = base.replace("profiles:\n", `${[...consumers, ...producers].join("")}profiles:\n`);
    expect(await problems(text)).toEqual([
      "components.d1x.endpointEnv: the endpoint wiring would write more than 10000 environment entries (every endpointEnv consumer gets every other component's endpoints); use fewer consumers or endpoints",
    ]);
  });
});
