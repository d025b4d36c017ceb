/**
 * Settings: one name per option (flag, SHOPPE_* variable, .shoppe.yaml key), precedence
 * flag > env > file > default, paths in the file relative to the file, unknown keys refused
 * with line:col, and the origin of each value shown by --verbose and `shoppe doctor`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { envName, optionKey, SETTINGS } from "../../src/config/registry.js";
import { resolveSettings } from "../../src/config/resolve.js";
import { InputError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";
import { type TempDir, tempDir } from "../support/temp.js";

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir("settings");
});
afterEach(() => dir.remove());

const write = (rel: string, text: string) =>
  mkdir(path.dirname(path.join(dir.path, rel)), { recursive: true }).then(() =>
    writeFile(path.join(dir.path, rel), text),
  );

describe("the settings registry", () => {
  it("derives every name from one: flag, environment variable, config key", () => {
    expect(SETTINGS.map((s) => [s.name, envName(s.name), optionKey(s.name)])).toEqual([
      ["mirror", "SHOPPE_MIRROR", "mirror"],
      ["provider", "SHOPPE_PROVIDER", "provider"],
      ["clusters-dir", "SHOPPE_CLUSTERS_DIR", "clustersDir"],
      ["registry-auth", "SHOPPE_REGISTRY_AUTH", "registryAuth"],
      ["github-repo", "SHOPPE_GITHUB_REPO", "githubRepo"],
      ["github-api", "SHOPPE_GITHUB_API", "githubApi"],
      ["chart-oci", "SHOPPE_CHART_OCI", "chartOci"],
    ]);
  });
});

describe("resolveSettings", () => {
  it("takes the flag over the environment over the file over the default", async () => {
    await write(".shoppe.yaml", "mirror: m-file\nprovider: kind\nclusters-dir: c-file\n");
    const s = await resolveSettings({
      root: dir.path,
      flags: { mirror: "m-flag" },
      env: { SHOPPE_MIRROR: "m-env", SHOPPE_PROVIDER: "p-env" },
    });
    expect(s.configFile).toBe(".shoppe.yaml");
    expect(s.all).toEqual([
      { name: "mirror", value: "m-flag", source: "flag", origin: "--mirror" },
      { name: "provider", value: "p-env", source: "env", origin: "SHOPPE_PROVIDER" },
      { name: "clusters-dir", value: "c-file", source: "file", origin: ".shoppe.yaml:3:15" },
      { name: "registry-auth", value: undefined, source: "default", origin: "default" },
      { name: "github-repo", value: undefined, source: "default", origin: "default" },
      { name: "github-api", value: undefined, source: "default", origin: "default" },
      { name: "chart-oci", value: undefined, source: "default", origin: "default" },
    ]);
    const none = await resolveSettings({
      root: await tempDir("empty").then((d) => d.path),
      flags: {},
      env: {},
    });
    expect(none.configFile).toBeUndefined();
    expect(none.get("provider")).toBe("kwok");
    expect(none.all[0]).toEqual({
      name: "mirror",
      value: undefined,
      source: "default",
      origin: "default",
    });
  });

  it("reads paths in the file relative to the file, and returns them relative to the root", async () => {
    await write("conf/site.yaml", "mirror: ../../shared/upstream\n");
    const s = await resolveSettings({
      root: dir.path,
      flags: {},
      env: { SHOPPE_CONFIG: "conf/site.yaml" },
    });
    expect(s.get("mirror")).toBe(path.join("..", "shared", "upstream"));
    expect(s.all[0]?.origin).toBe("conf/site.yaml:1:9");
    // --config wins over SHOPPE_CONFIG.
    await write("other.yaml", "provider: kind\n");
    const f = await resolveSettings({
      root: dir.path,
      flags: {},
      env: { SHOPPE_CONFIG: "conf/site.yaml" },
      configFlag: "other.yaml",
    });
    expect(f.configFile).toBe("other.yaml");
    expect(f.get("mirror")).toBeUndefined();
  });

  it("refuses unknown keys, wrong types and a missing named file with positions", async () => {
    await write(".shoppe.yaml", "mirror: ok\nmirrors: nope\nprovider: [kwok]\n");
    const err = await resolveSettings({ root: dir.path, flags: {}, env: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe("failed to load .shoppe.yaml: not a valid config file");
    const lines = (err as InputError).diagnostics.map(
      (d) => `${d.position?.line}:${d.position?.col} ${d.path}: ${d.message}`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '2:1 mirrors: unknown key "mirrors" (settings: mirror, provider, clusters-dir, registry-auth, github-repo, github-api, chart-oci)',
        "3:11 provider: must be a string, got a list",
      ]),
    );
    const missing = await resolveSettings({
      root: dir.path,
      flags: {},
      env: {},
      configFlag: "nope.yaml",
    }).catch((e) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.message).toMatch(/^failed to read nope\.yaml: no such file/);
  });
});

describe("settings on the command line", () => {
  it("cluster list takes --clusters-dir, SHOPPE_CLUSTERS_DIR, the config key and --state-dir", async () => {
    await write("from-file/.keep", "");
    const list = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runCli(["--verbose", "--json", "cluster", "list", ...args], dir.path, env);
    const flag = await list(["--clusters-dir", "c-flag"]);
    expect(flag.code).toBe(0);
    expect(flag.stderr).toContain("setting clusters-dir = c-flag (flag: --clusters-dir)");
    const env = await list([], { SHOPPE_CLUSTERS_DIR: "c-env", SHOPPE_PROVIDER: "kwok" });
    expect(env.stderr).toContain("setting clusters-dir = c-env (env: SHOPPE_CLUSTERS_DIR)");
    expect(env.stderr).toContain("setting provider = kwok (env: SHOPPE_PROVIDER)");
    await write(".shoppe.yaml", "clusters-dir: from-file\n");
    const file = await list([]);
    expect(file.stderr).toContain("setting clusters-dir = from-file (file: .shoppe.yaml:1:15)");
    const alias = await list(["--state-dir", "old-name"]);
    expect(alias.code).toBe(0);
    expect(JSON.parse(alias.stdout)).toEqual({ provider: "kwok", clusters: [] });
    const unknown = await runCli(["cluster", "list", "--provider", "nope"], dir.path);
    expect(unknown.code).toBe(2);
  });

  it("shoppe doctor lists every setting with its value and where it came from", async () => {
    // Doctor reads the project's tool pins: run it in the project, with a config file elsewhere.
    await write("site.yaml", "mirror: mirror-dir\n");
    const site = path.join(dir.path, "site.yaml");
    const r = await runCli(["--json", "--config", site, "doctor"], ROOT, {
      SHOPPE_PROVIDER: "kind",
    });
    const out = JSON.parse(r.stdout);
    expect(out.configFile).toBe(site);
    expect(out.settings).toEqual([
      {
        name: "mirror",
        value: path.relative(ROOT, path.join(dir.path, "mirror-dir")),
        source: "file",
        origin: `${site}:1:9`,
      },
      { name: "provider", value: "kind", source: "env", origin: "SHOPPE_PROVIDER" },
      { name: "clusters-dir", value: undefined, source: "default", origin: "default" },
      { name: "registry-auth", value: undefined, source: "default", origin: "default" },
      { name: "github-repo", value: undefined, source: "default", origin: "default" },
      { name: "github-api", value: undefined, source: "default", origin: "default" },
      { name: "chart-oci", value: undefined, source: "default", origin: "default" },
    ]);
    const human = await runCli(["--config", site, "doctor"], ROOT);
    expect(human.stdout).toContain(`settings (config file ${site}):`);
    expect(human.stdout).toContain(`file ${site}:1:9`);
  });

  it("a bad config file stops a command that reads settings, exit 2, with line:col", async () => {
    await write(".shoppe.yaml", "provider: kwok\nclusters_dir: x\n");
    const r = await runCli(["cluster", "list"], dir.path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.shoppe.yaml:2:1: clusters_dir: unknown key "clusters_dir"');
  });
});
