/**
 * The index reader on the real published indexes of the upstream mirror: the text scan finds
 * the same entries a full parse does, in a fraction of its time, and other layouts fall back.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  archiveFileName,
  formatIndex,
  type IndexEntry,
  RepositoryIndex,
} from "../../src/helm/index-file.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

/** The published index of a folder of the shared mirror. */
function published(folder: string): string {
  return readFileSync(path.join(UPSTREAM_SOURCE, "charts", folder, "index.yaml"), "utf8");
}

describeWithUpstream("RepositoryIndex on the real published indexes", [], () => {
  const cases: [string, string, string[]][] = [
    ["community-charts", "mlflow", ["1.11.5", "1.11.4"]],
    ["jupyterhub", "jupyterhub", ["3.3.8", "0.11.1-n259.h74abbb81"]],
    ["jupyterhub", "binderhub", ["1.0.0-0.dev.git.3506.hba24eb2a"]],
    ["ssl-helm-charts", "servicex", ["1.5.3", "1.0.16"]],
    ["coffea-casa", "coffea-casa", ["2026.1008.3", "2026.929.2"]],
  ];

  it.each(cases)("%s: finds %s entries exactly as a full parse does", (folder, chart, versions) => {
    const text = published(folder);
    const index = new RepositoryIndex(text);
    expect(index.scannable).toBe(true);
    const full = parse(text).entries[chart] as IndexEntry[];
    for (const v of versions) {
      const fromFull = full.find((e) => String(e.version) === v);
      expect(fromFull).toBeDefined();
      expect(index.entry(chart, v)).toEqual({ ...fromFull, version: v });
    }
    expect(index.entries(chart).map((e) => e.version)).toEqual(full.map((e) => String(e.version)));
  });

  it("says which archive and digest the pinned upstream versions have", () => {
    const mlflow = new RepositoryIndex(published("community-charts")).entry("mlflow", "1.11.5");
    expect(mlflow?.digest).toBe("0237fb496b8ae21f34f170711622c605af1225d0448a13808ba67ad095f6be3d");
    expect(mlflow?.urls).toEqual([
      "https://github.com/community-charts/helm-charts/releases/download/mlflow-1.11.5/mlflow-1.11.5.tgz",
    ]);
    const casa = new RepositoryIndex(published("coffea-casa")).entry("coffea-casa", "2026.1008.3");
    expect(casa?.appVersion).toBe("2026.10.08.3");
    expect((casa?.dependencies as { version: string }[] | undefined)?.[0]?.version).toBe("4.4.1");
  });

  it("answers absent charts and versions with nothing", () => {
    const index = new RepositoryIndex(published("jupyterhub"));
    expect(index.entry("jupyterhub", "4.4.0")).toBeUndefined(); // newer than this copy
    expect(index.entry("no-such-chart", "1.0.0")).toBeUndefined();
    expect(index.entries("no-such-chart")).toEqual([]);
    // A version that appears only as a dependency of another chart is not an entry.
    expect(index.entry("binderhub", "3.3.7")).toBeUndefined();
  });

  it("looks up one entry in the 2.3 MB index at least 10x faster than a full parse", () => {
    const text = published("community-charts");
    let t = performance.now();
    new RepositoryIndex(text).entry("mlflow", "1.11.5");
    const scanned = performance.now() - t;
    t = performance.now();
    parse(text);
    const full = performance.now() - t;
    expect(scanned * 10).toBeLessThan(full);
  });
});

describe("RepositoryIndex layouts", () => {
  const entry = (version: string): IndexEntry => ({
    apiVersion: "v2",
    name: "demo",
    version,
    urls: [`https://example.org/demo-${version}.tgz`],
  });

  it("keeps versions that YAML would read as numbers as written", () => {
    const text =
      "apiVersion: v1\nentries:\n  demo:\n  - apiVersion: v2\n    appVersion: 2.0\n    name: demo\n    urls:\n    - demo-1.10.tgz\n    version: 1.10\n";
    const index = new RepositoryIndex(text);
    expect(index.scannable).toBe(true);
    expect(index.entry("demo", "1.10")).toMatchObject({ version: "1.10", appVersion: "2.0" });
    expect(index.entry("demo", "1.1")).toBeUndefined();
  });

  it("falls back to a full parse for JSON and indented-list layouts", () => {
    const json = JSON.stringify({ apiVersion: "v1", entries: { demo: [entry("1.0.0")] } });
    const j = new RepositoryIndex(json);
    expect(j.scannable).toBe(false);
    expect(j.entry("demo", "1.0.0")?.urls).toEqual(["https://example.org/demo-1.0.0.tgz"]);
    const indented = stringify(
      { apiVersion: "v1", entries: { demo: [entry("1.0.0"), entry("2.0.0")] } },
      { indentSeq: true },
    );
    const i = new RepositoryIndex(indented);
    expect(i.entry("demo", "2.0.0")?.version).toBe("2.0.0");
    expect(i.entries("demo")).toHaveLength(2);
  });

  it("types urls and digest whatever a hand-edited index holds there", () => {
    const text =
      "apiVersion: v1\nentries:\n  demo:\n  - name: demo\n    digest: 123\n    urls: demo-1.0.0.tgz\n    version: 1.0.0\n";
    expect(new RepositoryIndex(text).entry("demo", "1.0.0")).toEqual({
      name: "demo",
      version: "1.0.0",
      urls: ["demo-1.0.0.tgz"],
    });
    expect(
      archiveFileName("https://github.com/o/r/releases/download/mlflow-1.11.5/mlflow-1.11.5.tgz"),
    ).toBe("mlflow-1.11.5.tgz");
    expect(archiveFileName("charts/x%2By-1.0.0.tgz?token=1")).toBe("x+y-1.0.0.tgz");
    expect(archiveFileName("http://[bad")).toBe("[bad");
    expect(archiveFileName("https://x/a%E0%A4%A.tgz")).toBe("a%E0%A4%A.tgz");
  });

  it("writes an index helm's layout reads back through the fast path", () => {
    const text = formatIndex(
      [entry("2.0.0"), { ...entry("1.0.0"), name: "other" }],
      "2026-01-01T00:00:00Z",
    );
    const index = new RepositoryIndex(text);
    expect(index.scannable).toBe(true);
    expect(index.entry("demo", "2.0.0")).toEqual(entry("2.0.0"));
    expect(index.entry("other", "1.0.0")?.name).toBe("other");
    expect(parse(text).generated).toBe("2026-01-01T00:00:00Z");
  });
});
