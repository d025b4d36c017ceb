/** mirror.yaml: the folders, git sources and substitutes, checked strictly with line:col. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { type TempDir, tempDir } from "../support/temp.js";

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir("mirror-file");
});
afterEach(() => dir.remove());

async function load(text: string) {
  await writeFile(path.join(dir.path, "mirror.yaml"), text);
  return loadMirror(dir.path, "m");
}

async function diagnostics(text: string): Promise<string[]> {
  const err = await load(text).catch((e) => e);
  expect(err).toBeInstanceOf(InputError);
  expect(err.message).toBe("failed to load m/mirror.yaml: not a valid mirror description");
  return (err as InputError).diagnostics.map(
    (d) => `${d.position?.file}:${d.position?.line}:${d.position?.col}: ${d.path}: ${d.message}`,
  );
}

describe("loadMirror", () => {
  it("loads the shared format and the substitutes extension", async () => {
    const m = await load(
      [
        "charts:",
        "  - url: https://coffeateam.github.io/coffea-casa",
        "    path: charts/coffea-casa",
        "git:",
        "  - url: https://github.com/CoffeaTeam/coffea-casa",
        "    path: git/coffea-casa.git",
        "substitutes:",
        "  - repository: https://coffeateam.github.io/coffea-casa/",
        "    chart: coffea-casa",
        "    version: 2026.1008.3",
        "    archive: charts/coffea-casa/coffea-casa-2026.1008.3.tgz",
        "    reason: built from source",
        "",
      ].join("\n"),
    );
    expect(m.dir).toBe(dir.path);
    expect(m.charts).toEqual([
      { url: "https://coffeateam.github.io/coffea-casa", path: "charts/coffea-casa" },
    ]);
    expect(m.git).toHaveLength(1);
    expect(m.substitutes[0]).toMatchObject({
      chart: "coffea-casa",
      version: "2026.1008.3",
      reason: "built from source",
    });
    // Every list is optional.
    expect((await load("charts: []\n")).substitutes).toEqual([]);
  });

  it("refuses unknown keys, missing fields and non-HTTP repository URLs with positions", async () => {
    expect(
      await diagnostics(
        "charts:\n  - url: oci://r/x\n    path: a\n    folder: b\nsubstitutes:\n  - repository: https://x\n    chart: c\n    version: 1.0.0\n    archive: a/c-1.0.0.tgz\nextra: 1\n",
      ),
    ).toEqual(
      expect.arrayContaining([
        'm/mirror.yaml:10:1: extra: unknown key "extra"',
        "m/mirror.yaml:2:10: charts[0].url: must be an http:// or https:// URL",
        'm/mirror.yaml:4:5: charts[0].folder: unknown key "folder"',
        "m/mirror.yaml:6:5: substitutes[0].reason: is required",
      ]),
    );
  });

  it("refuses paths that leave the mirror, and duplicate folders and substitutes", async () => {
    expect(
      await diagnostics(
        [
          "charts:",
          "  - url: https://a.example/charts",
          "    path: ../elsewhere",
          "  - url: https://a.example/charts/",
          "    path: /abs",
          "substitutes:",
          "  - {repository: https://a.example/charts, chart: c, version: 1.0.0, archive: a/../../c.tgz, reason: r}",
          "  - {repository: https://a.example/charts/, chart: c, version: 1.0.0, archive: a/c.tgz, reason: r}",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      "m/mirror.yaml:3:11: charts[0].path: must be a path inside the mirror",
      "m/mirror.yaml:5:11: charts[1].path: must be a path inside the mirror",
      "m/mirror.yaml:4:10: charts[1].url: https://a.example/charts/ is already the url of charts[0]",
      "m/mirror.yaml:7:79: substitutes[0].archive: must be a path inside the mirror",
      "m/mirror.yaml:8:5: substitutes[1]: c 1.0.0 is already declared at substitutes[0]",
    ]);
  });

  it("says what a mirror is when the directory or its mirror.yaml is missing", async () => {
    await expect(loadMirror(path.join(dir.path, "none"), "none")).rejects.toThrow(
      "failed to use the mirror none: no such directory; a mirror is a folder with a mirror.yaml (see docs/mirrors.md), written by `shoppe mirror create`",
    );
    await mkdir(path.join(dir.path, "empty"));
    await expect(loadMirror(path.join(dir.path, "empty"), "empty")).rejects.toThrow(
      /^failed to read empty\/mirror\.yaml: no such file/,
    );
  });
});
