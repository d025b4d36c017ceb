/**
 * RepositoryIndex.versions reads a chart's versions from its `version:` lines alone; on every
 * chart of the real published indexes it must give exactly what a full YAML parse gives, and
 * on layouts it cannot scan it falls back to the parse.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RepositoryIndex } from "../../src/helm/index-file.js";
import {
  describeWithUpstream,
  UPSTREAM_SOURCE,
  upstreamMissing,
} from "../support/upstream-mirror.js";

const missing = upstreamMissing();

describeWithUpstream("versions() on the real indexes", [], () => {
  const folders = missing ? [] : readdirSync(path.join(UPSTREAM_SOURCE, "charts"));
  it.each(folders)("%s: every chart's versions equal the full parse's", (folder) => {
    const text = readFileSync(path.join(UPSTREAM_SOURCE, "charts", folder, "index.yaml"), "utf8");
    const full = parse(text, { version: "1.1" }).entries as Record<string, { version: unknown }[]>;
    const index = new RepositoryIndex(text);
    expect(index.scannable).toBe(true);
    for (const [chart, list] of Object.entries(full)) {
      expect(index.versions(chart), chart).toEqual(list.map((e) => String(e.version)));
    }
    expect(index.versions("no-such-chart")).toEqual([]);
  });
});

describe("versions() beyond helm's layout", () => {
  it("keeps quoted versions as written and falls back to a parse for other layouts", () => {
    const helmLayout = [
      "apiVersion: v1",
      "entries:",
      "  demo:",
      "  - name: demo",
      '    version: "1.10"',
      "    dependencies:",
      "    - name: sub",
      "      version: 9.9.9",
      "  - name: demo",
      "    version: 1.2.3-rc.1",
      "",
    ].join("\n");
    expect(new RepositoryIndex(helmLayout).versions("demo")).toEqual(["1.10", "1.2.3-rc.1"]);
    const flow =
      '{"apiVersion": "v1", "entries": {"demo": [{"name": "demo", "version": "2.0.0"}]}}';
    const index = new RepositoryIndex(flow);
    expect(index.scannable).toBe(false);
    expect(index.versions("demo")).toEqual(["2.0.0"]);
  });

  it("parses the block when a version line is written in a way the scan does not read", () => {
    const odd = [
      "apiVersion: v1",
      "entries:",
      "  demo:",
      "  - name: demo",
      '    version: "1.0.0\\u0031"',
      "",
    ].join("\n");
    expect(new RepositoryIndex(odd).versions("demo")).toEqual(["1.0.01"]);
  });
});
