/** Endpoint formats and the manifest rules that guard the generated wiring. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateUmbrella } from "../../src/chart/generate.js";
import { InputError } from "../../src/errors.js";
import {
  formatEndpoint,
  formatShortEndpoint,
  parseEndpointUrl,
} from "../../src/manifest/endpoint-url.js";
import { FIXTURE, manifest } from "./helpers.js";

describe("endpoint formats", () => {
  it("publishes the URL or its parts, and short in-namespace forms for static values", () => {
    const url = "root://xcache.{namespace}.svc:1094";
    expect(formatEndpoint(url, "url")).toBe(url);
    expect(formatEndpoint(url, "host")).toBe("xcache.{namespace}.svc");
    expect(formatEndpoint(url, "hostport")).toBe("xcache.{namespace}.svc:1094");
    expect(formatEndpoint(url, "port")).toBe("1094");
    expect(formatShortEndpoint(url, "hostport")).toBe("xcache:1094");
    expect(formatShortEndpoint("http://mlflow.{namespace}.svc/api", "url")).toBe(
      "http://mlflow:80/api",
    );
    expect(parseEndpointUrl("grpc://triton.ns.svc")?.port).toBeUndefined();
    expect(parseEndpointUrl("not a url")).toBeUndefined();
  });
});

async function problems(edit: (text: string) => string): Promise<string[]> {
  const text = edit(await readFile(path.join(FIXTURE, "stack.yaml"), "utf8"));
  try {
    await manifest(text);
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics.map((d) => `${d.path}: ${d.message}`);
    throw err;
  }
  return [];
}

describe("wiring rules", () => {
  it("accepts the fixture", async () => {
    expect(await problems((t) => t)).toEqual([]);
  });

  it("reserves values.enabled for the umbrella switch", async () => {
    const found = await problems((t) =>
      t.replace("      fullnameOverride: cache\n", "      enabled: true\n"),
    );
    expect(found).toEqual([
      'components.cache.values.enabled: "enabled" is the umbrella\'s switch for the component; set components.cache.enabled instead',
    ]);
  });

  it("refuses to wire a value to a Service whose name depends on the release", async () => {
    const found = await problems((t) =>
      t.replace(
        "    source:\n      github: example/hub\n",
        "    consumes:\n      - endpoint: api.http\n        value: apiUrl\n        format: url\n    source:\n      github: example/hub\n",
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^components\.hub\.consumes\[0\]\.endpoint: the Service name of api\.http depends on the release/,
    );
  });

  it("refuses a wired value that values also set, and env keys the wiring owns", async () => {
    const found = await problems((t) =>
      t
        .replace(
          "    endpoints:\n      - name: http\n        env: API_URL",
          "    values:\n      transformer:\n        cachePrefix: other:1094\n    endpoints:\n      - name: http\n        env: API_URL",
        )
        .replace(
          "        GREETING: hello\n",
          "        GREETING: hello\n        CACHE_URL: root://elsewhere\n",
        ),
    );
    expect(found).toEqual([
      "components.hub.values.extraEnv.CACHE_URL: CACHE_URL is set by the endpoint wiring; remove it from values",
      "components.api.consumes[0].value: transformer.cachePrefix is also set in values; the wiring owns it, remove one",
    ]);
  });

  it("needs a port for port formats and a mapping at endpointEnv", async () => {
    const found = await problems((t) =>
      t
        .replace(
          "url: root://cache.{namespace}.svc:1094\n        format: host",
          "url: grpc://cache.{namespace}.svc\n        format: port",
        )
        .replace(
          "      extraEnv:\n        # A variable the author pins.\n        GREETING: hello\n",
          "      extraEnv: [GREETING]\n",
        ),
    );
    expect(found).toEqual([
      "components.hub.endpointEnv: values.extraEnv must be a mapping (env name → value) to add endpoints",
      "components.cache.endpoints[1].url: format port needs a port in the URL",
    ]);
  });
});

describe("wired values in the values tree", () => {
  async function renderValues(edit: (text: string) => string) {
    const loaded = await manifest(edit(await readFile(path.join(FIXTURE, "stack.yaml"), "utf8")));
    const { files } = generateUmbrella(loaded, { chartDir: path.join(loaded.dir, "charts/demo") });
    return parse(files["values.yaml"] as string);
  }

  it("opens a flow mapping at endpointEnv and writes the wiring into it", async () => {
    const values = await renderValues((t) =>
      t.replace(
        "      extraEnv:\n        # A variable the author pins.\n        GREETING: hello\n",
        "      extraEnv: { GREETING: hello }\n",
      ),
    );
    expect(Object.keys(values.hub.extraEnv)).toEqual([
      "GREETING",
      "API_URL",
      "CACHE_HOST",
      "CACHE_URL",
    ]);
  });

  it("wires a value below a key that values set to null", async () => {
    const values = await renderValues((t) =>
      t.replace(
        "    endpoints:\n      - name: http\n        env: API_URL",
        "    values:\n      transformer: null\n    endpoints:\n      - name: http\n        env: API_URL",
      ),
    );
    expect(values.api.transformer).toEqual({ cachePrefix: "cache:1094" });
  });

  it("reports a wired path below a scalar as bad input at its consumes entry, not a crash", async () => {
    const loaded = await manifest(await readFile(path.join(FIXTURE, "stack.yaml"), "utf8"));
    // What the rules refuse at load, forced in afterwards: the generator must still not crash.
    (loaded.stack.components.api as { values: Record<string, unknown> }).values = {
      transformer: "fixed",
    };
    let error: unknown;
    try {
      generateUmbrella(loaded, { chartDir: path.join(loaded.dir, "charts/demo") });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics).toEqual([
      {
        position: expect.objectContaining({ line: 82 }),
        path: "components.api.consumes[0].value",
        message:
          "transformer.cachePrefix needs values.transformer to be a mapping, but it holds a value",
      },
    ]);
  });

  it("refuses wired paths below scalars, nested in each other, or at the switch", async () => {
    const found = await problems((t) =>
      t
        .replace(
          "    endpoints:\n      - name: http\n        env: API_URL",
          "    values:\n      transformer: [a]\n    endpoints:\n      - name: http\n        env: API_URL",
        )
        .replace(
          "    endpointEnv: extraEnv\n",
          "    endpointEnv: extraEnv\n    consumes:\n      - endpoint: cache.root\n        value: extraEnv.CACHE\n      - endpoint: cache.root\n        value: enabled\n",
        ),
    );
    expect(found).toEqual([
      "components.hub.endpointEnv: extraEnv and extraEnv.CACHE are both wired and one holds the other; wire values that do not nest",
      "components.hub.consumes[1].value: enabled would set hub.enabled, which the umbrella refuses; its switch is components.hub.enabled",
      "components.api.consumes[0].value: transformer.cachePrefix needs values.transformer to be a mapping, but it holds a list",
    ]);
  });
});
