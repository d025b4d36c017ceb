/**
 * generateUmbrella: stack.yaml → every file of the umbrella chart, as text. Pure (no I/O,
 * no clock): the same manifest and options give the same bytes, which is what lets
 * `shoppe render --check` compare a committed chart with a fresh render.
 */
import path from "node:path";
import type { LoadedStack } from "../manifest/load.js";
import { type ArtifactHubChange, chartYamlText } from "./chart-yaml.js";
import { buildModel, GENERATED_NOTICE, type UmbrellaModel } from "./model.js";
import { assertProfiles, profileFiles } from "./profiles.js";
import { readmeText } from "./readme.js";
import { endpointsConfigMap, helpersTpl, notesTxt } from "./templates.js";
import { valuesTree } from "./values.js";
import { valuesSchema, valuesSchemaText } from "./values-schema.js";
import { treeToYaml } from "./vtree.js";

/** Options of a render that do not come from stack.yaml. */
export interface GenerateOptions {
  /** Absolute directory the chart is written to; file:// dependencies are relative to it. */
  chartDir: string;
  /** Release changes for `artifacthub.io/changes` (none until a previous release exists). */
  changes?: ArtifactHubChange[];
}

/** The generated chart: relative path → content, paths sorted. */
export interface GeneratedChart {
  files: Record<string, string>;
  model: UmbrellaModel;
}

const HELMIGNORE = `# ${GENERATED_NOTICE}
# Patterns helm package leaves out.
.DS_Store
.git/
.gitignore
*.swp
*.bak
*.tmp
*.orig
*~
.idea/
.vscode/
# Shoppe's records (render marker, dependency build), never part of the package.
.shoppe-*
`;

/** Renders the umbrella chart of a loaded manifest; InputError for bad profile values. */
export function generateUmbrella(loaded: LoadedStack, options: GenerateOptions): GeneratedChart {
  const model = buildModel(loaded, options.chartDir);
  const schema = valuesSchema(model, GENERATED_NOTICE);
  assertProfiles(loaded, schema);
  const tree = valuesTree(model, loaded.document);
  const chartPath = path.relative(loaded.dir, options.chartDir).split(path.sep).join("/") || ".";
  const files: Record<string, string> = {
    ".helmignore": HELMIGNORE,
    "Chart.yaml": chartYamlText(model, { changes: options.changes }),
    "README.md": readmeText(model, tree, chartPath),
    "templates/NOTES.txt": notesTxt(model),
    "templates/_helpers.tpl": helpersTpl(model),
    "templates/endpoints-configmap.yaml": endpointsConfigMap(model),
    "values.schema.json": valuesSchemaText(model, GENERATED_NOTICE),
    "values.yaml": treeToYaml(tree, valuesHeader(model)),
    ...profileFiles(model, loaded),
  };
  const sorted = Object.fromEntries(
    Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { files: sorted, model };
}

function valuesHeader(model: UmbrellaModel): string {
  return [
    GENERATED_NOTICE,
    `Values of the ${model.name} umbrella chart ${model.version}. Every key is documented with a`,
    "`# --` comment (helm-docs); README.md lists them all.",
  ].join("\n");
}
