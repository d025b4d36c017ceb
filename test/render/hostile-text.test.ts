/**
 * Text from stack.yaml in generated files, under the real helm: the escapers round-trip the
 * nastiest strings through Go templates and go-yaml, and a manifest full of template
 * delimiters, quotes and shell syntax renders a chart whose NOTES, fail messages and values
 * show that text literally, never executing it.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Document, parse, parseAllDocuments } from "yaml";
import { render } from "../../src/actions/render.js";
import { shellWord } from "../../src/chart/escape/shell.js";
import { goString, templateComment, templateText } from "../../src/chart/escape/template.js";
import { yamlDoubleQuoted, yamlInline, yamlText } from "../../src/chart/escape/yaml.js";
import { generateUmbrella } from "../../src/chart/generate.js";
import { type Helm, type HelmMajor, openHelm } from "../../src/tools/helm.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { NASTY } from "../support/nasty-strings.js";
import { context, FIXTURE, fixtureProject, manifest, REMOTE_MANIFEST, tempDir } from "./helpers.js";

/** Every nasty string as a key, but `<<`: helm takes it for a merge (manifests refuse it). */
function nastyKeys(): Record<string, number> {
  return Object.fromEntries(NASTY.map((s, i) => [s === "<<" ? "merge" : s, i]));
}

/** A chart whose NOTES print every nasty string three ways and whose files hold them as YAML. */
async function escapesChart(dir: string): Promise<string> {
  const chart = path.join(dir, "escapes");
  await mkdir(path.join(chart, "templates"), { recursive: true });
  await writeFile(
    path.join(chart, "Chart.yaml"),
    "apiVersion: v2\nname: escapes\nversion: 0.1.0\n",
  );
  const values = { texts: NASTY, keys: nastyKeys() };
  await writeFile(
    path.join(chart, "values.yaml"),
    yamlText(new Document(values, { version: "1.1" })),
  );
  const probe = NASTY.flatMap((s, i) => [
    `q${i}: ${yamlDoubleQuoted(s)}`,
    `i${i}: ${yamlInline(s)}`,
  ]);
  await writeFile(path.join(chart, "probe.yaml"), `${probe.join("\n")}\n`);
  const notes = NASTY.map(
    (s, i) => `[${i}]${templateText(s)}|{{ ${goString(s)} }}${templateComment(s)}[/${i}]`,
  );
  await writeFile(path.join(chart, "templates/NOTES.txt"), notes.join("\n"));
  await writeFile(
    path.join(chart, "templates/probe.yaml"),
    [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: probe",
      "data:",
      "  values.json: {{ .Values | toJson | quote }}",
      `  probe.json: {{ .Files.Get "probe.yaml" | fromYaml | toJson | quote }}`,
      ...NASTY.map((s, i) => `  t${i}: ${templateText(yamlDoubleQuoted(s))}`),
      "",
    ].join("\n"),
  );
  return chart;
}

function configMapData(manifest: string, name: string): Record<string, string> {
  const objects = parseAllDocuments(manifest).map((d) => d.toJS());
  const found = objects.find((o) => o?.kind === "ConfigMap" && o.metadata?.name === name);
  if (!found) throw new Error(`no ConfigMap ${name} in:\n${manifest}`);
  return found.data;
}

/** The hostile text the manifest below carries, valid as one line of text. */
const HOSTILE = `{{ .Release.Name }} {{- fail "x" }} */}} "q" 'q' \`b\` | $(id) ; \\ 😀`;

/** The render fixture with hostile text in names, values, comments and descriptions. */
function hostileManifest(text: string): string {
  return text
    .replace(
      "description: A small umbrella for render tests",
      `description: ${JSON.stringify(`# ${HOSTILE}\n| a | b |`)}`,
    )
    .replace("    displayName: Hub\n", `    displayName: '${HOSTILE.replaceAll("'", "''")}'\n`)
    .replace('    appVersion: "1.0"\n', `    appVersion: '{{ .Chart.Name }} */}}'\n`)
    .replace(
      "      # Fixed Service name.\n",
      `      # ${HOSTILE}\n      "{{ .Values }}": '*/}} | \`x\`'\n      # Fixed Service name.\n`,
    )
    .replace("    description: Small\n", `    description: "Small\\nevil: injected"\n`);
}

const MAJORS: HelmMajor[] = ["v4", "v3"];

describeWithTools("text from stack.yaml under the real helm", ["helm", "helm3"], () => {
  for (const major of MAJORS) {
    describe(`helm ${major}`, () => {
      let helm: Helm;
      let escapes: string;
      let chartDir: string;
      const base = { releaseName: "fac", namespace: "lab", kubeVersion: "1.35.4" };

      beforeAll(async () => {
        helm = openHelm(context(ROOT), major, await tempDir("file"));
        escapes = await escapesChart(await tempDir("file"));
        const root = await fixtureProject("file");
        const stack = path.join(root, "stack.yaml");
        await writeFile(stack, hostileManifest(await readFile(stack, "utf8")));
        chartDir = (await render(context(root), { output: "charts/demo" })).chartDir;
        await helm.dependency("update", chartDir);
      });

      it("reads back every string it was given through go-yaml and the template engine", async () => {
        const out = await helm.template(escapes, base);
        const data = configMapData(out, "probe");
        expect(JSON.parse(data["values.json"] as string)).toEqual({
          texts: NASTY,
          keys: nastyKeys(),
        });
        const probe = JSON.parse(data["probe.json"] as string);
        NASTY.forEach((s, i) => {
          expect(probe[`q${i}`], `q${i}`).toBe(s);
          expect(String(probe[`i${i}`]), `i${i}`).toBe(s);
          expect(data[`t${i}`], `t${i}`).toBe(s);
        });
      });

      it("parses the umbrella's templates and hands the manifest's values over literally", async () => {
        // _helpers.tpl holds the display name in fail messages: it parses, or nothing renders.
        const out = await helm.template(chartDir, base);
        const hub = JSON.parse(configMapData(out, "hub-values")["values.json"] as string);
        expect(hub["{{ .Values }}"]).toBe("*/}} | `x`");
        expect(configMapData(out, "demo-shoppe-endpoints").HUB_URL).toBe("http://hub.lab.svc:8000");
      });

      if (major === "v4") {
        // helm 3 prints NOTES only for a real install; helm 4's client dry run renders them.
        it("prints every string in NOTES exactly, executing none of it", async () => {
          const notes = await helm.notes(escapes, base);
          NASTY.forEach((s, i) => {
            const shown = new RegExp(`\\[${i}\\]([\\s\\S]*?)\\[/${i}\\]`).exec(notes)?.[1];
            expect(shown, `[${i}]`).toBe(`${s}|${s}`);
          });
          const umbrella = await helm.notes(chartDir, base);
          expect(umbrella).toContain(`${HOSTILE} (chart hub 0.1.0, app {{ .Chart.Name }} */}})`);
        });
      }
    });
  }
});

describe("generated text files from a hostile manifest", () => {
  it("keeps the profile description in its comment and README cells on their row", async () => {
    const loaded = await manifest(
      hostileManifest(await readFile(path.join(FIXTURE, "stack.yaml"), "utf8")),
    );
    const { files } = generateUmbrella(loaded, { chartDir: path.join(loaded.dir, "charts/demo") });
    expect(parse(files["ci/ci-values.yaml"] as string)).toEqual(loaded.stack.profiles.ci?.values);
    expect(JSON.parse(files["values.schema.json"] as string).properties.hub.description).toContain(
      HOSTILE,
    );
    expect(parse(files["Chart.yaml"] as string).description).toBe(`# ${HOSTILE}\n| a | b |`);
    const readme = (files["README.md"] as string).split("\n");
    // Every table row has as many cells (split at unescaped pipes) as its header.
    const cells = (row: string) => row.split(/(?<!\\)(?:\\\\)*\|/).length;
    let header = 0;
    for (const [i, row] of readme.entries()) {
      if (!row.startsWith("|")) continue;
      if (!readme[i - 1]?.startsWith("|")) header = cells(row);
      expect(cells(row), row).toBe(header);
    }
    // The description stays one paragraph: no heading, no table of its own.
    expect(readme[3]).toMatch(/^\\# /);
    expect(readme[3]).toContain("\\| a \\| b \\|");
  });

  it("writes the README's install commands one per line, each argument one shell word", async () => {
    const repo = "https://charts.example.org/it's/$(id)";
    const loaded = await manifest(
      REMOTE_MANIFEST.replace("https://charts.example.org/stable", repo),
    );
    const chartDir = path.join(loaded.dir, "out dir/$(id)");
    const readme = generateUmbrella(loaded, { chartDir }).files["README.md"] as string;
    const block = /```console\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? "";
    const lines = block.split("\n");
    expect(lines.every((l) => l.startsWith("helm "))).toBe(true);
    const script = `helm() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\n'; }\n${block}\n`;
    const calls = execFileSync("/bin/sh", ["-c", script], { encoding: "utf8" })
      .split("\n")
      .slice(0, -1)
      .map((l) => l.split("\0").slice(0, -1));
    expect(calls[0]).toEqual(["repo", "add", "web", repo]);
    expect(calls[1]).toEqual(["dependency", "update", "out dir/$(id)"]);
    expect(lines[1]).toBe(`helm dependency update ${shellWord("out dir/$(id)")}`);
  });
});
