/**
 * `shoppe badge` on results with a passing, a failing, a skipped and a stand-in cell: the
 * SVGs badge-maker draws, the shields.io endpoint JSON (only the keys its schema defines), the
 * tier never above what every version earned, ignored results named with the reason, and the
 * ownership rule for the output directory.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runCli } from "../helpers/cli.js";
import { type CompatProject, compatProject, results } from "./compat-project.js";

/** shields.io's endpoint schema (https://shields.io/badges/endpoint-badge), strictly. */
const Endpoint = z.strictObject({
  schemaVersion: z.literal(1),
  label: z.string(),
  message: z.string().min(1),
  color: z.enum(["brightgreen", "yellow", "red", "lightgrey"]),
});

/** The fill badge-maker 6 gives each named colour. */
const FILL = { brightgreen: "#4b0", yellow: "#d8b800", red: "#dd4343", lightgrey: "#939393" };

let p: CompatProject;
beforeAll(async () => {
  p = await compatProject();
});
afterAll(async () => p.dir.remove());

async function badge(out: string, ...results: string[]) {
  return runCli(["badge", ...results, "-o", out, "--json"], p.root);
}

async function endpoint(out: string, file: string) {
  return Endpoint.parse(JSON.parse(await readFile(path.join(p.root, out, file), "utf8")));
}

describe("shoppe badge", () => {
  it("states each badge at the tier every version earned, and never more", async () => {
    const r = await badge("badges", p.current);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(await endpoint("badges", "demo-stack.json")).toEqual({
      schemaVersion: 1,
      label: "demo-stack 0.2.0",
      message: "k8s 1.34–1.35 | failing (on 1.35 at control-plane)",
      color: "red",
    });
    const messages = Object.fromEntries(
      await Promise.all(
        ["alpha", "beta", "gamma", "delta"].map(async (id) => {
          const e = await endpoint("badges", `components/${id}.json`);
          return [id, `${e.label} | ${e.message} | ${e.color}`];
        }),
      ),
    );
    expect(messages).toEqual({
      // cluster on 1.34, control-plane on 1.35: the lower one.
      alpha: "Alpha | k8s 1.34–1.35 | passing (control-plane) | brightgreen",
      beta: "Beta | k8s 1.34–1.35 | failing (on 1.35 at control-plane) | red",
      // A skipped check is not a pass.
      gamma: "Gamma | k8s 1.34–1.35 | partial (control-plane; incomplete on 1.35) | yellow",
      // A stand-in is shown as one.
      delta: "Delta | k8s 1.34–1.35 | partial (control-plane; stand-in) | yellow",
    });
  });

  it("draws the SVGs with badge-maker, text and colour alike", async () => {
    await badge("badges", p.current);
    const svg = await readFile(path.join(p.root, "badges/components/gamma.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
    expect(svg).toContain(
      'aria-label="Gamma: k8s 1.34–1.35 | partial (control-plane; incomplete on 1.35)"',
    );
    expect(svg).toContain(`fill="${FILL.yellow}"`);
    const stack = await readFile(path.join(p.root, "badges/demo-stack.svg"), "utf8");
    expect(stack).toContain(`fill="${FILL.red}"`);
    expect(stack).toContain("<title>demo-stack 0.2.0: k8s 1.34–1.35 | failing");
  });

  it("records why: reasons, stand-ins and runs per version, and the ignored files", async () => {
    const r = await badge("badges", p.current);
    const json = JSON.parse(r.stdout) as {
      badges: {
        id: string;
        versions: { version: string; reasons: string[]; standIns: string[]; runs: string[] }[];
      }[];
      ignored: { file: string; why: string }[];
      counted: string[];
    };
    expect(json.counted).toHaveLength(2);
    expect(json.ignored.map((i) => `${i.file}: ${i.why}`)).toEqual([
      "e2e-results/other/results.json: it tested the chart other-stack, not demo-stack",
      expect.stringMatching(
        /^e2e-results\/stale\/results\.json: its stack\.yaml \(sha256:\w{12}…\) is not this release's .*the manifest changed since it ran$/,
      ),
      "e2e-results/untagged/results.json: it tested demo-stack 0.1.5, another release than 0.2.0",
    ]);
    for (const i of json.ignored)
      expect(r.stderr).toContain(`warning: ignored ${i.file}: ${i.why}`);
    const gamma = json.badges
      .find((b) => b.id === "gamma")
      ?.versions.find((v) => v.version === "1.35.4");
    expect(gamma?.reasons).toEqual(["check gamma-answers skipped: pods are simulated"]);
    const delta = json.badges
      .find((b) => b.id === "delta")
      ?.versions.find((v) => v.version === "1.35.4");
    expect(delta?.standIns).toEqual([
      "delta: chart delta 1.0.0 was a substitute (the published archive could not be fetched here)",
    ]);
    expect(delta?.runs).toEqual(["e2e-results/20261201T1100Z-kwok-k1.35.4-b2/results.json"]);
  });

  it("is untested without results of this release, and passing only when every version passes", async () => {
    const untested = await badge("untested", `${p.current}/stale`);
    expect(untested.code).toBe(0);
    expect(await endpoint("untested", "demo-stack.json")).toMatchObject({
      message: "k8s 1.34–1.35 | untested",
      color: "lightgrey",
    });
    const partial = await badge("only-134", `${p.current}/20261201T1000Z-kind-k1.34.13-a1`);
    expect(partial.code).toBe(0);
    expect((await endpoint("only-134", "demo-stack.json")).message).toBe(
      "k8s 1.34–1.35 | partial (cluster; untested on 1.35)",
    );
    // A passing rerun at the same tier replaces the failed run; the stack passes at the lower tier.
    const rerun = results({ kube: "1.35.4", digest: p.digest });
    await writeFile(
      path.join(p.root, "rerun.json"),
      JSON.stringify({ ...rerun, tier: "control-plane", finishedAt: "2026-12-02T00:00:00.000Z" }),
    );
    const passing = await badge("rerun", p.current, "rerun.json");
    expect(passing.code).toBe(0);
    expect(await endpoint("rerun", "demo-stack.json")).toEqual({
      schemaVersion: 1,
      label: "demo-stack 0.2.0",
      message: "k8s 1.34–1.35 | passing (control-plane)",
      color: "brightgreen",
    });
    const svg = await readFile(path.join(p.root, "rerun/demo-stack.svg"), "utf8");
    expect(svg).toContain(`fill="${FILL.brightgreen}"`);
  });

  it("writes the same bytes twice, and only into a directory it owns", async () => {
    await badge("again", p.current);
    const first = await readFile(path.join(p.root, "again/badges.json"), "utf8");
    await badge("again", p.current);
    expect(await readFile(path.join(p.root, "again/badges.json"), "utf8")).toBe(first);
    await writeFile(path.join(p.root, "again/notes.txt"), "mine\n");
    const refused = await badge("again", p.current);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("notes.txt is not listed in .shoppe-badge.json");
  });

  it("refuses the project root, a symbolic link and a directory it did not write, touching none", async () => {
    const root = await badge(".", p.current);
    expect(root.code).toBe(2);
    expect(root.stderr).toContain("failed to write the badges into .: it is the project root");
    await mkdir(path.join(p.root, "theirs"));
    await writeFile(path.join(p.root, "theirs/keep.txt"), "theirs\n");
    await symlink("theirs", path.join(p.root, "link"));
    const link = await badge("link", p.current);
    expect(link.code).toBe(2);
    expect(link.stderr).toContain(
      "failed to write the badges into link: it is a symbolic link (to write where it points, give that path); name a new",
    );
    const theirs = await badge("theirs", p.current);
    expect(theirs.code).toBe(2);
    expect(theirs.stderr).toContain("it is not empty and has no .shoppe-badge.json");
    expect(await readdir(path.join(p.root, "theirs"))).toEqual(["keep.txt"]);
    expect(
      (await readdir(p.root)).filter((n) => n.endsWith(".svg") || n === "badges.json"),
    ).toEqual([]);
  });

  it("refuses input that is not e2e results, with one line and exit 2", async () => {
    await writeFile(path.join(p.root, "not-results.json"), '{"hello": 1}');
    const bad = await badge("bad", "not-results.json");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/failed to read not-results\.json: not an e2e results file/);
    const missing = await badge("bad", "nowhere");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("failed to read the e2e results nowhere: it does not exist");
    const none = await runCli(["badge", "-o", "bad"], p.root);
    expect(none.code).toBe(2);
  });
});
