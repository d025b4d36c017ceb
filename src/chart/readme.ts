/**
 * README.md of the umbrella: what it installs (components table), how to install it, how
 * the components are wired, the profiles, and the values reference built from the same
 * documented tree as values.yaml (helm-docs layout).
 */
import { mdCell, mdCode, mdLink, mdParagraph, mdText } from "./escape/markdown.js";
import { shellWord } from "./escape/shell.js";
import { GENERATED_NOTICE, type UmbrellaModel } from "./model.js";
import { flattenTree, type VNode } from "./vtree.js";

/** A table whose cells are Markdown (text from stack.yaml escaped where it was inserted). */
function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
}

function componentsTable(model: UmbrellaModel): string[] {
  return table(
    ["Component", "Chart", "Version", "App version", "Repository", "Enabled"],
    model.components.map((c) => [
      `${mdLink(c.displayName, c.sourceUrl)} (${mdCode(c.id)})`,
      c.dependency ? mdCode(c.dependency.name) : "-",
      c.dependency ? mdText(c.dependency.version) : "-",
      mdText(c.appVersion),
      c.dependency ? mdCode(c.dependency.repository) : "-",
      c.enabled ? "yes" : "no",
    ]),
  );
}

function installSection(model: UmbrellaModel, chartPath: string): string[] {
  const repos = model.components.flatMap((c) =>
    c.dependency?.repository.startsWith("http") ? [[c.id, c.dependency.repository] as const] : [],
  );
  return [
    "## Install",
    "",
    "Helm needs every HTTP repository before it can fetch the dependencies (`shoppe chart deps` does this for you):",
    "",
    "```console",
    ...repos.map(([id, url]) => `helm repo add ${shellWord(id)} ${shellWord(url)}`),
    `helm dependency update ${shellWord(chartPath)}`,
    `helm install facility ${shellWord(chartPath)} --namespace facility --create-namespace`,
    "```",
    "",
    "Switch a component off with `--set components.<component>.enabled=false` (the switches live outside the component blocks, which are handed to the component charts whole); use a profile with `--values <chart>/ci/<profile>-values.yaml`.",
  ];
}

function wiringSection(model: UmbrellaModel): string[] {
  const env = model.envWiring.flatMap((w) =>
    w.endpoints.map((e) => [
      `${mdCode(e.component)} ${mdText(e.name)}`,
      mdCode(e.display),
      mdCode(e.env),
      `${mdCode(w.consumer)}: ${mdCode(`${w.path}.${e.env}`)} (from the ConfigMap, optional)`,
    ]),
  );
  const values = model.valueWiring.map((w) => [
    `${mdCode(w.producer)} ${mdText(w.endpoint.name)}`,
    mdCode(w.value),
    "-",
    `${mdCode(w.consumer)}: ${mdCode(w.path)}`,
  ]);
  const published = model.components.flatMap((c) =>
    c.endpoints.map((e) => [
      `${mdCode(c.id)} ${mdText(e.name)}`,
      mdCode(e.display),
      mdCode(e.env),
      "ConfigMap",
    ]),
  );
  return [
    "## Wiring",
    "",
    `The ConfigMap ${mdCode(model.endpointsConfigMap)} (fixed name) holds one entry per endpoint of each enabled component, keyed by its environment variable; a disabled component's entries disappear. Notebooks read the entries through optional ConfigMap references, so a disabled component leaves its variable unset instead of breaking the pod. Values wired from another component's endpoint are written in their in-namespace form (Service name, no namespace), and the chart refuses to install while such a value points at a disabled component.`,
    "",
    ...table(
      ["Producer endpoint", "Value", "Variable", "Consumer"],
      [...published, ...env, ...values],
    ),
  ];
}

function profilesSection(model: UmbrellaModel): string[] {
  const names = Object.keys(model.profiles);
  if (names.length === 0) return [];
  return [
    "## Profiles",
    "",
    ...table(
      ["Profile", "Values file", "Description"],
      names.map((n) => [
        mdText(n),
        mdCode(`ci/${n}-values.yaml`),
        mdText(model.profiles[n]?.description ?? ""),
      ]),
    ),
    "",
  ];
}

function valuesSection(tree: VNode[]): string[] {
  return [
    "## Values",
    "",
    ...table(
      ["Key", "Type", "Default", "Description"],
      flattenTree(tree).map((r) => [
        mdCode(r.key),
        r.type,
        mdCode(JSON.stringify(r.default) ?? "null"),
        r.description,
      ]),
    ),
  ];
}

/** README.md text; `chartPath` is how the install command names the chart directory. */
export function readmeText(model: UmbrellaModel, tree: VNode[], chartPath: string): string {
  return [
    `<!-- ${GENERATED_NOTICE} -->`,
    `# ${mdText(model.name)}`,
    "",
    mdParagraph(model.description),
    "",
    `Version ${mdText(model.version)} · Kubernetes ${mdCode(model.kubeVersion)}`,
    "",
    "## Components",
    "",
    ...componentsTable(model),
    "",
    ...installSection(model, chartPath),
    "",
    ...wiringSection(model),
    "",
    ...profilesSection(model),
    ...valuesSection(tree),
    "",
  ].join("\n");
}
