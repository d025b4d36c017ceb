/** The pure generator: Chart.yaml, values, schema, wiring templates, profiles, determinism. */
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, type Node, parse, parseDocument, type YAMLMap } from "yaml";
import { chartYamlObject } from "../../src/chart/chart-yaml.js";
import { generateUmbrella } from "../../src/chart/generate.js";
import { buildModel, deriveKubeVersion } from "../../src/chart/model.js";
import { checkValues, valuesSchema } from "../../src/chart/values-schema.js";
import { InputError } from "../../src/errors.js";
import { loadStack } from "../../src/manifest/load.js";
import { ROOT } from "../helpers/tools.js";
import { fixtureProject, load, manifest, REMOTE_MANIFEST } from "./helpers.js";

const repoChartDir = path.join(ROOT, "charts/coffea-shoppe");

async function defaultChart() {
  const loaded = await loadStack(path.join(ROOT, "stack.yaml"));
  return { loaded, ...generateUmbrella(loaded, { chartDir: repoChartDir }) };
}

async function fixtureChart() {
  const root = await fixtureProject();
  const loaded = await load(root);
  return {
    root,
    loaded,
    ...generateUmbrella(loaded, { chartDir: path.join(root, "charts/demo") }),
  };
}

function file(files: Record<string, string>, name: string): string {
  const text = files[name];
  if (text === undefined) throw new Error(`no ${name} in ${Object.keys(files).join(", ")}`);
  return text;
}

describe("Chart.yaml", () => {
  it("has one dependency per component of the default stack, aliased and conditioned", async () => {
    const { files } = await defaultChart();
    const chart = parse(file(files, "Chart.yaml"));
    expect(chart).toMatchObject({
      apiVersion: "v2",
      name: "coffea-shoppe",
      type: "application",
      version: "0.1.0",
      appVersion: "0.1.0",
      kubeVersion: ">=1.34.0-0",
    });
    expect(chart.dependencies).toEqual([
      {
        name: "coffea-casa",
        version: "2026.1008.3",
        repository: "https://coffeateam.github.io/coffea-casa",
        alias: "coffea-casa",
        condition: "components.coffea-casa.enabled",
      },
      {
        name: "servicex",
        version: "1.5.3",
        repository: "https://ssl-hep.github.io/ssl-helm-charts/",
        alias: "servicex",
        condition: "components.servicex.enabled",
      },
      {
        name: "xcache",
        version: "0.1.0",
        repository: "file://../xcache",
        alias: "xcache",
        condition: "components.xcache.enabled",
      },
      {
        name: "triton",
        version: "0.1.0",
        repository: "file://../triton",
        alias: "triton",
        condition: "components.triton.enabled",
      },
      {
        name: "mlflow",
        version: "1.11.5",
        repository: "https://community-charts.github.io/helm-charts",
        alias: "mlflow",
        condition: "components.mlflow.enabled",
      },
    ]);
  });

  it("keeps oci:// and https repositories and makes file:// relative to the output", async () => {
    const loaded = await manifest(REMOTE_MANIFEST);
    const model = buildModel(loaded, path.join(loaded.dir, "out/deep/remote-shoppe"));
    const deps = chartYamlObject(model).dependencies;
    expect(deps.map((d) => [d.alias, d.repository, d.version])).toEqual([
      ["web", "https://charts.example.org/stable", "4.5.6"],
      ["registry-thing", "oci://ghcr.io/example/charts", "0.0.7"],
      ["local", "file://../../../charts/cache", "0.2.0"],
    ]);
    expect(deps[1]).toMatchObject({
      name: "thing",
      condition: "components.registry-thing.enabled",
    });
  });

  it("derives kubeVersion from the oldest supported Kubernetes minor", async () => {
    expect(deriveKubeVersion(["1.35.4", "1.34.13", "1.37.2"])).toBe(">=1.34.0-0");
    expect(deriveKubeVersion(["1.36.1"])).toBe(">=1.36.0-0");
    const loaded = await manifest(REMOTE_MANIFEST);
    expect(buildModel(loaded, "/x").kubeVersion).toBe(">=1.34.0-0");
  });

  it("annotates images (digest appended when pinned), links and license for Artifact Hub", async () => {
    const { files } = await fixtureChart();
    const annotations = parse(file(files, "Chart.yaml")).annotations as Record<string, string>;
    expect(Object.keys(annotations)).toEqual([
      "artifacthub.io/images",
      "artifacthub.io/license",
      "artifacthub.io/links",
    ]);
    expect(parse(annotations["artifacthub.io/images"] as string)).toEqual([
      { name: "hub", image: "example.org/demo/hub:1.0" },
      {
        name: "cache-server",
        image:
          "example.org/demo/cache:2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      },
    ]);
    expect(annotations["artifacthub.io/license"]).toBe("Apache-2.0");
    expect(parse(annotations["artifacthub.io/links"] as string)).toEqual([
      { name: "demo-shoppe source", url: "https://example.org/demo-shoppe" },
      { name: "Hub upstream", url: "https://github.com/example/hub" },
      { name: "Cache upstream", url: "https://github.com/example/cache" },
      { name: "API upstream", url: "https://github.com/example/api" },
    ]);
  });

  it("writes artifacthub.io/changes only when a release passes changes", async () => {
    const root = await fixtureProject();
    const loaded = await load(root);
    const chartDir = path.join(root, "charts/demo");
    const without = parse(file(generateUmbrella(loaded, { chartDir }).files, "Chart.yaml"));
    expect(without.annotations["artifacthub.io/changes"]).toBeUndefined();
    const changes = [{ kind: "added" as const, description: "MLflow wiring" }];
    const withChanges = parse(
      file(generateUmbrella(loaded, { chartDir, changes }).files, "Chart.yaml"),
    );
    expect(parse(withChanges.annotations["artifacthub.io/changes"])).toEqual(changes);
  });
});

describe("endpoints ConfigMap template", () => {
  it("has a fixed name and one guarded block per component with endpoints", async () => {
    const { files } = await defaultChart();
    const cm = file(files, "templates/endpoints-configmap.yaml");
    expect(cm).toContain("name: coffea-shoppe-endpoints\n");
    expect(cm).toContain('{{- if (dig "mlflow" "enabled" true .Values.components) }}\n');
    expect(cm).toContain(
      '  MLFLOW_TRACKING_URI: "http://mlflow.{{ .Release.Namespace }}.svc:5000"\n',
    );
    expect(cm).toContain(
      '  SERVICEX_HOST: "http://{{ .Release.Name }}-servicex-app.{{ .Release.Namespace }}.svc:8000"\n',
    );
    expect(cm).toContain('  XCACHE_HOST: "xcache.{{ .Release.Namespace }}.svc"\n');
    expect(cm).toContain('  XCACHE_PORT: "1094"\n');
    // Each entry sits inside its component's `if`, so a disabled component drops out.
    const block =
      /\{\{- if \(dig "triton" "enabled" true \.Values\.components\) \}\}\n([\s\S]*?)\{\{- end \}\}/.exec(
        cm,
      );
    expect(block?.[1]).toContain("TRITON_URL:");
    expect(block?.[1]).toContain("TRITON_GRPC_URL:");
    expect(block?.[1]).not.toContain("MLFLOW");
  });

  it("omits components without endpoints and fails wiring that points at a disabled producer", async () => {
    const { files } = await fixtureChart();
    const cm = file(files, "templates/endpoints-configmap.yaml");
    expect(cm).toContain('{{- include "demo-shoppe.checkWiring" . }}');
    const helpers = file(files, "templates/_helpers.tpl");
    expect(helpers).toContain(
      '{{- if and (dig "api" "enabled" true .Values.components) (not (dig "cache" "enabled" true .Values.components)) }}',
    );
    expect(helpers).toContain('(dig "transformer" "cachePrefix" "" (index .Values "api"))');
    expect(helpers).toContain("--set api.transformer.cachePrefix");
  });
});

/** Every mapping key of a values document, with its comment, outside lists. */
function keysWithComments(node: Node | null, prefix = ""): { key: string; comment: string }[] {
  if (!isMap(node)) return [];
  const map = node as YAMLMap;
  return map.items.flatMap((pair, i) => {
    const key = String((pair.key as { value: unknown }).value);
    const keyNode = pair.key as Node;
    const comment =
      (isScalar(keyNode) ? keyNode.commentBefore : undefined) ??
      (i === 0 ? map.commentBefore : undefined) ??
      "";
    const full = prefix ? `${prefix}.${key}` : key;
    const value = pair.value as Node | null;
    const nested = isMap(value) && !value.flow ? keysWithComments(value, full) : [];
    return [{ key: full, comment }, ...(isSeq(value) ? [] : nested)];
  });
}

describe("values.yaml", () => {
  it("documents every key with a `# --` comment", async () => {
    for (const { files } of [await defaultChart(), await fixtureChart()]) {
      const doc = parseDocument(file(files, "values.yaml"));
      const keys = keysWithComments(doc.contents as Node);
      // The parser folds the first key's comment into the document's leading comment; it
      // is the paragraph after the header's blank line (go-yaml, which helm-docs uses,
      // keeps it on the key).
      const first = keys[0];
      if (first) first.comment = first.comment.split("\n\n").pop() ?? "";
      expect(keys.length).toBeGreaterThan(10);
      const bare = keys.filter((k) => !/^ -- \S/.test(k.comment)).map((k) => k.key);
      expect(bare).toEqual([]);
    }
  });

  it("carries stack.yaml comments, switches components in `components` and adds the wiring", async () => {
    const { files } = await fixtureChart();
    const text = file(files, "values.yaml");
    expect(text).toContain("  # -- Fixed Service name.\n  fullnameOverride: hub\n");
    const values = parse(text);
    expect(values.global).toEqual({
      domain: "",
      ingress: { className: "" },
      storageClass: "",
      imagePullSecrets: [],
    });
    expect(values.shoppe).toEqual({ endpoints: { create: true } });
    expect(values.components).toEqual({
      hub: { enabled: true },
      cache: { enabled: true },
      api: { enabled: true },
    });
    expect(values.hub.enabled).toBeUndefined();
    expect(values.hub.extraEnv).toEqual({
      GREETING: "hello",
      API_URL: {
        valueFrom: {
          configMapKeyRef: { name: "demo-shoppe-endpoints", key: "API_URL", optional: true },
        },
      },
      CACHE_HOST: {
        valueFrom: {
          configMapKeyRef: { name: "demo-shoppe-endpoints", key: "CACHE_HOST", optional: true },
        },
      },
      CACHE_URL: {
        valueFrom: {
          configMapKeyRef: { name: "demo-shoppe-endpoints", key: "CACHE_URL", optional: true },
        },
      },
    });
    expect(values.api.transformer).toEqual({ cachePrefix: "cache:1094" });
  });

  it("pins the MLflow allowed hosts and wires ServiceX to XCache in the default stack", async () => {
    const values = parse(file((await defaultChart()).files, "values.yaml"));
    expect(values.mlflow.serverAllowedHosts).toEqual(
      expect.arrayContaining(["mlflow", "mlflow:*", "mlflow.*.svc:*", "10.*"]),
    );
    // ServiceX pastes it into Python source: the value is a Python string literal.
    expect(values.servicex.transformer.cachePrefix).toBe('"xcache:1094"');
    expect(values.servicex.didFinder.rucio.enabled).toBe(false);
    expect(values.servicex.rabbitmq.image.repository).toBe("bitnamilegacy/rabbitmq");
    expect(Object.keys(values["coffea-casa"].jupyterhub.singleuser.extraEnv).sort()).toEqual([
      "MLFLOW_TRACKING_URI",
      "SERVICEX_HOST",
      "SERVICEX_TYPE",
      "TRITON_GRPC_URL",
      "TRITON_URL",
      "XCACHE_HOST",
      "XCACHE_PORT",
      "XCACHE_URL",
    ]);
  });

  it("leaves a wired value empty while its producer is disabled in stack.yaml", async () => {
    const root = await fixtureProject();
    const text = (await import("node:fs/promises")).readFile(path.join(root, "stack.yaml"), "utf8");
    const edited = (await text).replace(
      '    appVersion: "2.0"\n',
      '    enabled: false\n    appVersion: "2.0"\n',
    );
    const loaded = await manifest(edited);
    const values = parse(
      file(generateUmbrella(loaded, { chartDir: path.join(root, "c") }).files, "values.yaml"),
    );
    expect(values.components.cache.enabled).toBe(false);
    expect(values.api.transformer.cachePrefix).toBe("");
    const helpers = file(
      generateUmbrella(loaded, { chartDir: path.join(root, "c") }).files,
      "templates/_helpers.tpl",
    );
    // Only the switch checks fail; no wiring check points at the disabled producer.
    expect(helpers).not.toContain("cachePrefix");
  });
});

describe("values.schema.json", () => {
  it("is a valid draft-07 schema (render compiles it without checking it against the meta-schema)", async () => {
    for (const { files } of [await defaultChart(), await fixtureChart()]) {
      const ajv = new Ajv({ strict: true });
      expect(
        ajv.validateSchema(JSON.parse(file(files, "values.schema.json"))),
        ajv.errorsText(),
      ).toBe(true);
    }
  });

  it("is strict at the top, open in global, and needs a boolean switch per component", async () => {
    const { files, loaded } = await defaultChart();
    const schema = JSON.parse(file(files, "values.schema.json"));
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.global.additionalProperties).toBe(true);
    expect(schema.required).toEqual(["components"]);
    expect(schema.properties.components.properties.mlflow).toMatchObject({
      required: ["enabled"],
      properties: { enabled: { type: "boolean" } },
      additionalProperties: false,
    });
    // The component block goes to its chart whole; `enabled` there is refused by a const
    // whose text helm prints as the instruction.
    expect(schema.properties.mlflow).toMatchObject({
      properties: { enabled: { const: "set components.mlflow.enabled instead" } },
      additionalProperties: true,
    });
    const values = parse(file(files, "values.yaml"));
    expect(checkValues(values, schema)).toEqual([]);
    expect(schema).toEqual(valuesSchema(buildModel(loaded, repoChartDir), schema.$comment));
  });

  it("rejects a mistyped enabled and an unknown top-level key, allows anything in global", async () => {
    const { files } = await defaultChart();
    const schema = JSON.parse(file(files, "values.schema.json"));
    const values = parse(file(files, "values.yaml"));
    const switches = (mlflow: unknown) => ({ ...values.components, mlflow });
    expect(checkValues({ ...values, components: switches({ enabled: "yes" }) }, schema)).toEqual([
      { path: ["components", "mlflow", "enabled"], message: 'must be boolean, got "yes"' },
    ]);
    const unknown = checkValues({ ...values, mlfow: {} }, schema);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.path).toEqual(["mlfow"]);
    expect(unknown[0]?.message).toContain('unknown key "mlfow"');
    const withGlobal = { ...values, global: { ...values.global, imageRegistry: "r.example" } };
    expect(checkValues(withGlobal, schema)).toEqual([]);
    expect(checkValues({ ...values, components: switches({}) }, schema)).toEqual([
      { path: ["components", "mlflow", "enabled"], message: "is required" },
    ]);
  });
});

describe("values checked against the schema (Ajv)", () => {
  it("treats keys named like Object.prototype members as keys", async () => {
    const { files } = await defaultChart();
    const schema = JSON.parse(file(files, "values.schema.json"));
    const values = parse(file(files, "values.yaml"));
    const hostile = JSON.parse(
      '{"__proto__": {}, "constructor": 1, "toString": {"enabled": true}}',
    );
    const found = checkValues({ ...values, ...hostile }, schema);
    expect(found.map((p) => p.path)).toEqual([["__proto__"], ["constructor"], ["toString"]]);
    expect(found[1]?.message).toMatch(
      /^unknown key "constructor" \(known here: global, shoppe, components, /,
    );
    const nested = checkValues({ components: { constructor: { enabled: true } } }, schema, {
      partial: true,
    });
    expect(nested).toEqual([
      {
        path: ["components", "constructor"],
        message: expect.stringMatching(/^unknown key "constructor"/),
      },
    ]);
  });

  it("lets an overlay leave keys out and delete them with null", async () => {
    const { files } = await defaultChart();
    const schema = JSON.parse(file(files, "values.schema.json"));
    const overlay = { components: { mlflow: { enabled: null } }, global: null, mlflow: {} };
    expect(checkValues(overlay, schema, { partial: true })).toEqual([]);
    expect(checkValues({ global: { imagePullSecrets: [7] } }, schema, { partial: true })).toEqual([
      { path: ["global", "imagePullSecrets", "0"], message: "7 matches none of the allowed forms" },
    ]);
  });
});

describe("profiles", () => {
  it("writes ci/<profile>-values.yaml with the profile values", async () => {
    const { files, loaded } = await defaultChart();
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["ci/ci-values.yaml", "ci/production-values.yaml"]),
    );
    for (const name of ["ci", "production"]) {
      const values = parse(file(files, `ci/${name}-values.yaml`));
      expect(values).toEqual(loaded.stack.profiles[name]?.values);
    }
    const ci = parse(file(files, "ci/ci-values.yaml"));
    expect(ci["coffea-casa"].jupyterhub.prePuller).toEqual({
      hook: { enabled: false },
      continuous: { enabled: false },
    });
    expect(ci.xcache.persistence.enabled).toBe(false);
  });

  it("fails the render naming the profile and the key that is not an umbrella value", async () => {
    const root = await fixtureProject();
    const text = await (await import("node:fs/promises")).readFile(
      path.join(root, "stack.yaml"),
      "utf8",
    );
    const loaded = await manifest(
      text.replace(
        "      components:\n        api:\n          enabled: true\n",
        '      apii:\n        enabled: "yes"\n      components:\n        api:\n          enabled: "no"\n      hub:\n        enabled: false\n',
      ),
    );
    let error: unknown;
    try {
      generateUmbrella(loaded, { chartDir: path.join(root, "c") });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const diagnostics = (error as InputError).diagnostics;
    expect(diagnostics.map((d) => d.path)).toEqual([
      "profiles.ci.values.apii",
      "profiles.ci.values.components.api.enabled",
      "profiles.ci.values.hub.enabled",
    ]);
    expect(diagnostics[0]?.message).toMatch(/^profile "ci": unknown key "apii"/);
    expect(diagnostics[1]?.message).toBe('profile "ci": must be boolean, got "no"');
    expect(diagnostics[2]?.message).toBe(
      'profile "ci": "hub.enabled" would be handed to the component\'s chart; the switch is components.hub.enabled',
    );
    expect(diagnostics[0]?.position?.line).toBeGreaterThan(90);
  });
});

describe("determinism", () => {
  it("renders the same bytes twice, with sorted file names", async () => {
    const a = await defaultChart();
    const b = await defaultChart();
    expect(b.files).toEqual(a.files);
    const names = Object.keys(a.files);
    expect(names).toEqual([...names].sort());
    for (const text of Object.values(a.files)) expect(text.endsWith("\n")).toBe(true);
  });
});
