/**
 * The release plan, purely: every kind of change between two manifests with the SemVer level
 * it calls for, and the next version (pre-releases, a requested version, the first release).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { UsageError } from "../../src/errors.js";
import { type Stack, StackSchema } from "../../src/manifest/schema.js";
import { levelReasons, nextVersion, releaseLevel } from "../../src/release/next-version.js";
import { planRelease } from "../../src/release/plan.js";
import { diffStacks, stepLevel } from "../../src/release/stack-diff.js";
import { releaseTargets } from "../../src/release/targets.js";
import { ROOT } from "../helpers/tools.js";

const base = (): Stack =>
  StackSchema.parse(parse(readFileSync(path.join(ROOT, "stack.yaml"), "utf8")));

function changed(edit: (s: Stack) => void): Stack {
  const s = structuredClone(base());
  edit(s);
  return s;
}

const setChart = (s: Stack, id: string, version: string) => {
  const c = s.components[id]?.chart;
  if (c) c.version = version;
};

describe("the level of a change", () => {
  it("follows SemVer for chart steps, pre-releases counting as patch", () => {
    expect(stepLevel("1.11.5", "2.0.0")).toBe("major");
    expect(stepLevel("2026.625.2", "2026.812.2")).toBe("minor");
    expect(stepLevel("1.5.2", "1.5.3")).toBe("patch");
    expect(stepLevel("1.5.3", "1.5.4-rc.1")).toBe("patch");
    expect(stepLevel("1.5.3", "1.5.3")).toBeUndefined();
  });

  it.each([
    ["a major step", (s: Stack) => setChart(s, "mlflow", "2.0.0"), "major"],
    ["a minor step", (s: Stack) => setChart(s, "mlflow", "1.12.0"), "minor"],
    ["a patch step", (s: Stack) => setChart(s, "mlflow", "1.11.6"), "patch"],
    ["a patch step back", (s: Stack) => setChart(s, "mlflow", "1.11.4"), "patch"],
    [
      "a minor step back (features removed)",
      (s: Stack) => setChart(s, "mlflow", "1.10.0"),
      "major",
    ],
    [
      "an image tag",
      (s: Stack) => {
        const i = s.components.triton?.images[0];
        if (i) i.tag = "26.08-py3";
      },
      "patch",
    ],
    [
      "a value",
      (s: Stack) => {
        if (s.components.xcache) s.components.xcache.values = { x: 1 };
      },
      "patch",
    ],
    [
      "a component removed",
      (s: Stack) => {
        delete s.components.triton;
      },
      "major",
    ],
    [
      "a component disabled by default",
      (s: Stack) => {
        if (s.components.triton) s.components.triton.enabled = false;
      },
      "major",
    ],
    [
      "a component added",
      (s: Stack) => {
        s.components.extra = structuredClone(s.components.xcache as never);
      },
      "minor",
    ],
    [
      "a Kubernetes minor dropped",
      (s: Stack) => {
        s.kubernetes.versions.shift();
      },
      "major",
    ],
    [
      "a Kubernetes minor added",
      (s: Stack) => {
        s.kubernetes.versions.push({ version: "1.38.0" });
      },
      "minor",
    ],
    [
      "a Kubernetes patch tested",
      (s: Stack) => {
        const v = s.kubernetes.versions[0];
        if (v) v.version = "1.34.14";
      },
      "patch",
    ],
    [
      "a profile removed",
      (s: Stack) => {
        delete s.profiles.production;
      },
      "major",
    ],
  ] as const)("%s → %s", (_what, edit, level) => {
    expect(releaseLevel(diffStacks(base(), changed(edit)))).toBe(level);
  });

  it("reports nothing for an unchanged stack, or only a release.version edit", () => {
    expect(releaseLevel(diffStacks(base(), base()))).toBeUndefined();
    expect(
      releaseLevel(
        diffStacks(
          base(),
          changed((s) => {
            s.release.version = "9.9.9";
          }),
        ),
      ),
    ).toBeUndefined();
  });

  it("names every change, largest first, with the image and app version detail", () => {
    const to = changed((s) => {
      setChart(s, "coffea-casa", "2026.1108.0");
      if (s.components["coffea-casa"]) s.components["coffea-casa"].appVersion = "2026.11.08.0";
      s.kubernetes.versions.shift();
    });
    const d = diffStacks(base(), to);
    const casa = d.components.find((c) => c.id === "coffea-casa");
    expect(casa).toMatchObject({
      kind: "upgraded",
      level: "minor",
      chart: { from: "2026.1008.3", to: "2026.1108.0", step: "minor" },
      appVersion: { from: "2026.10.08.3", to: "2026.11.08.0" },
    });
    expect(levelReasons(d).map((r) => `${r.level}: ${r.why}`)).toEqual([
      "major: Kubernetes 1.34.11 dropped",
      "minor: coffea-casa upgraded a minor step 2026.1008.3 → 2026.1108.0",
    ]);
  });
});

describe("the next version", () => {
  it("increments the last final release at the level", () => {
    expect(nextVersion("0.1.0", "minor")).toBe("0.2.0");
    expect(nextVersion("0.1.3", "patch")).toBe("0.1.4");
    expect(nextVersion("0.9.1", "major")).toBe("1.0.0");
  });

  it("numbers pre-releases after the ones tagged", () => {
    expect(nextVersion("0.1.0", "minor", "rc")).toBe("0.2.0-rc.1");
    expect(nextVersion("0.1.0", "minor", "rc", ["0.2.0-rc.1", "0.2.0-rc.2", "0.2.0-beta.7"])).toBe(
      "0.2.0-rc.3",
    );
  });

  const previous = { tag: "v0.1.0", version: "0.1.0", commit: "abc", stack: base() };

  it("plans from the changes, or says there is nothing to release", () => {
    const p = planRelease({
      previous,
      current: changed((s) => setChart(s, "mlflow", "1.12.0")),
      tagged: ["0.1.0"],
    });
    expect([p.level, p.version, p.tag]).toEqual(["minor", "0.2.0", "v0.2.0"]);
    expect(p.because).toBe(
      "a minor release after 0.1.0: mlflow upgraded a minor step 1.11.5 → 1.12.0",
    );
    const none = planRelease({ previous, current: base(), tagged: ["0.1.0"] });
    expect(none.version).toBeUndefined();
    expect(none.because).toBe("nothing changed since v0.1.0");
  });

  it("takes a requested version only after the last release, and a first release as written", () => {
    expect(planRelease({ previous, current: base(), tagged: [], version: "0.3.0" }).version).toBe(
      "0.3.0",
    );
    expect(() => planRelease({ previous, current: base(), tagged: [], version: "0.1.0" })).toThrow(
      "--version 0.1.0 is not after the last release 0.1.0",
    );
    expect(() => planRelease({ previous, current: base(), tagged: [], version: "v1" })).toThrow(
      "--version expects a SemVer version",
    );
    expect(() => planRelease({ previous, current: base(), tagged: [], pre: "1" })).toThrow(
      "--pre expects a pre-release name",
    );
    expect(planRelease({ current: base(), tagged: [] })).toMatchObject({
      version: "0.1.0",
      because: "the first release: stack.yaml's release.version",
    });
    expect(planRelease({ current: base(), tagged: ["0.1.0-rc.1"], pre: "rc" }).version).toBe(
      "0.1.0-rc.2",
    );
  });
});

describe("release targets", () => {
  const home = "https://github.com/CoffeaTeam/coffea-shoppe";
  it("send the token only over https, or http on this machine", () => {
    expect(releaseTargets({}, {}, home).api).toBe("https://api.github.com");
    expect(releaseTargets({ githubApi: "http://127.0.0.1:8080" }, {}, home).api).toBe(
      "http://127.0.0.1:8080",
    );
    expect(() => releaseTargets({ githubApi: "http://ghe.example.org/api/v3" }, {}, home)).toThrow(
      'failed to use the GitHub API "http://ghe.example.org/api/v3": not https, and the token would travel in clear text; set --github-api (SHOPPE_GITHUB_API, GITHUB_API_URL) to an https:// URL',
    );
    expect(() => releaseTargets({}, { GITHUB_API_URL: "api.github.com" }, home)).toThrow(
      UsageError,
    );
  });
});
