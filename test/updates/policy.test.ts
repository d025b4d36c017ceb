/**
 * The update policy over the versions the real published indexes list: Coffea-Casa's CalVer
 * charts compare as SemVer, z2jh's dev builds are pre-releases, ignore lists take versions and
 * ranges, and the tracked level decides what is wanted while every level is still reported.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RepositoryIndex } from "../../src/helm/index-file.js";
import { DEFAULT_POLICY, isIgnored, offer } from "../../src/updates/policy.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const versionsOf = (folder: string, chart: string) =>
  new RepositoryIndex(
    readFileSync(path.join(UPSTREAM_SOURCE, "charts", folder, "index.yaml"), "utf8"),
  ).versions(chart);

describe("offer", () => {
  it("reports the newest newer version per level and wants the newest the track allows", () => {
    const listed = ["1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.9.1", "2.0.0", "3.1.0", "1.2.2"];
    expect(offer("1.2.3", listed, DEFAULT_POLICY)).toEqual({
      patch: "1.2.10",
      minor: "1.9.1",
      major: "3.1.0",
      wanted: "1.9.1",
      skipped: [],
    });
    expect(offer("1.2.3", listed, { ...DEFAULT_POLICY, track: "patch" }).wanted).toBe("1.2.10");
    expect(offer("1.2.3", listed, { ...DEFAULT_POLICY, track: "major" }).wanted).toBe("3.1.0");
    expect(offer("3.1.0", listed, { ...DEFAULT_POLICY, track: "major" })).toEqual({ skipped: [] });
  });

  it("falls back to a lower level when the tracked one offers nothing", () => {
    expect(offer("1.2.3", ["1.2.4", "2.0.0"], { ...DEFAULT_POLICY, track: "major" }).wanted).toBe(
      "2.0.0",
    );
    expect(offer("1.2.3", ["1.2.4", "2.0.0"], DEFAULT_POLICY).wanted).toBe("1.2.4");
  });

  it("ignores exact versions and SemVer ranges, pre-releases included in a range", () => {
    const listed = ["1.2.4", "1.3.0", "2.0.0-beta.1", "2.0.0"];
    const policy = { track: "major" as const, ignore: ["1.3.0", "2.x"], prereleases: true };
    expect(offer("1.2.3", listed, policy)).toEqual({
      patch: "1.2.4",
      wanted: "1.2.4",
      skipped: [],
    });
    expect(isIgnored("2.0.0-beta.1", ["2.x"])).toBe(true);
    expect(isIgnored("2.0.0", [">=5.0.0"])).toBe(false);
  });

  it("skips versions a pin could not take, and says which", () => {
    const o = offer("1.0.0", ["v1.1.0", "1.2", "1.0.1"], DEFAULT_POLICY);
    expect(o.patch).toBe("1.0.1");
    expect(o.skipped).toEqual(["v1.1.0", "1.2"]);
  });
});

describeWithUpstream("the real published indexes", [], () => {
  it("orders Coffea-Casa's CalVer charts by date: 2026.1008.3 is newer than 2026.929.2", () => {
    const listed = versionsOf("coffea-casa", "coffea-casa");
    expect(listed).toEqual(["2026.1008.3", "2026.1008.2", "2026.1008.0", "2026.929.2"]);
    expect(offer("2026.929.2", listed, DEFAULT_POLICY)).toEqual({
      minor: "2026.1008.3",
      wanted: "2026.1008.3",
      skipped: [],
    });
    expect(offer("2026.1008.0", listed, { ...DEFAULT_POLICY, track: "patch" }).wanted).toBe(
      "2026.1008.3",
    );
    expect(
      offer("2026.1008.3", listed, { ...DEFAULT_POLICY, track: "major" }).wanted,
    ).toBeUndefined();
  });

  it("counts z2jh's dev builds only when pre-releases are on", () => {
    const listed = versionsOf("jupyterhub", "jupyterhub");
    expect(listed.length).toBeGreaterThan(600);
    expect(listed).toContain("4.0.0-beta.4.git.6831.habe06f4d");
    const stable = offer("3.3.7", listed, { ...DEFAULT_POLICY, track: "major" });
    expect(stable).toMatchObject({ patch: "3.3.8", wanted: "3.3.8" });
    expect(stable.major).toBeUndefined();
    const pre = offer("3.3.7", listed, { track: "major", ignore: [], prereleases: true });
    expect(pre.major).toBe("4.0.0-beta.4.git.6831.habe06f4d");
    expect(pre.wanted).toBe(pre.major);
    const ignored = offer("3.3.7", listed, {
      track: "major",
      ignore: ["4.x"],
      prereleases: true,
    });
    expect(ignored.major).toBeUndefined();
  });

  it("lists ServiceX's chart versions, its v-prefixed pre-releases skipped", () => {
    const o = offer("1.5.2", versionsOf("ssl-helm-charts", "servicex"), DEFAULT_POLICY);
    expect(o).toMatchObject({ patch: "1.5.3", wanted: "1.5.3" });
    expect(o.skipped).toContain("v1.0.34-alpha.4");
  });
});
