/**
 * The umbrella's values.yaml as a documented tree: `global` (what a facility sets once),
 * `shoppe` (the umbrella's own templates), `components` (one switch per component), then per
 * component the overrides pinned in stack.yaml with their authored comments and the
 * generated wiring.
 */
import { InputError } from "../errors.js";
import { type DocPath, formatPath, type PositionedDocument } from "../manifest/positions.js";
import { mdCode, mdText } from "./escape/markdown.js";
import {
  type EnvWiring,
  switchPath,
  type UmbrellaComponent,
  type UmbrellaModel,
  type ValueWiring,
} from "./model.js";
import { childOf, treeFromSource, type VNode } from "./vtree.js";

/** The `global` block. Helm hands it to every sub-chart, so only widely read keys live here. */
export function globalTree(): VNode {
  return {
    key: "global",
    description:
      "Settings shared with every sub-chart: Helm passes `global` to all of them, and sub-charts may define more keys here.",
    children: [
      {
        key: "domain",
        description:
          "DNS domain of the facility (e.g. `af.example.org`). NOTES.txt prints the public host names under it; set each component's own ingress values (see the README) to publish them.",
        value: "",
      },
      {
        key: "ingress",
        description: "Ingress defaults of the facility.",
        children: [
          {
            key: "className",
            description:
              "IngressClass for the facility's public entry points; empty uses the cluster default. Shown in NOTES.txt; the component charts take their class in their own ingress values.",
            value: "",
          },
        ],
      },
      {
        key: "storageClass",
        description:
          "StorageClass for persistent volumes; empty uses the cluster default. Read by the Bitnami sub-charts of ServiceX (RabbitMQ, MinIO, PostgreSQL).",
        value: "",
      },
      {
        key: "imagePullSecrets",
        description:
          "Names of image pull Secrets (strings) for registries that need credentials. Read by the Bitnami sub-charts of ServiceX; z2jh and the other charts take theirs in their own `imagePullSecrets` values.",
        value: [],
      },
    ],
  };
}

/** The `shoppe` block: switches of the umbrella's own templates. */
export function shoppeTree(model: UmbrellaModel): VNode {
  return {
    key: "shoppe",
    description: "The umbrella chart's own templates.",
    children: [
      {
        key: "endpoints",
        description: `The ConfigMap ${mdCode(model.endpointsConfigMap)} that publishes the in-cluster endpoint of every enabled component.`,
        children: [
          {
            key: "create",
            description: `Create the ConfigMap ${mdCode(model.endpointsConfigMap)} (a fixed name: consumers need not know the release name; one release per namespace). Notebooks read it through optional references, so turning it off only unsets their endpoint variables.`,
            value: true,
          },
        ],
      },
    ],
  };
}

/**
 * The `components` block: every component's switch. It lives outside the component blocks,
 * which Helm hands to the component charts whole (see `switchPath`).
 */
export function componentsTree(model: UmbrellaModel): VNode {
  return {
    key: "components",
    description:
      "Which components this release installs: `components.<id>.enabled` is the Helm condition of each component's chart.",
    children: model.components.map((c) => ({
      key: c.id,
      description: `${mdText(c.displayName)}.`,
      children: [
        { key: "enabled", description: `Install ${mdText(c.displayName)}.`, value: c.enabled },
      ],
    })),
  };
}

/** What a component's tree is built from. */
interface Build {
  c: UmbrellaComponent;
  model: UmbrellaModel;
  document: PositionedDocument;
}

/** The description of a key from stack.yaml that has no comment there. */
function authoredFallback(c: UmbrellaComponent): (p: string[]) => string {
  return (p) =>
    `${mdText(c.displayName)} chart value ${mdCode(p.join("."))}, pinned in stack.yaml.`;
}

function authoredTree({ c, document }: Build): VNode[] {
  const source = document.doc.getIn(["components", c.id, "values"], true);
  return treeFromSource(c.source.values, source, authoredFallback(c));
}

/**
 * The mapping at a dotted path, creating documented intermediate mappings. The manifest rules
 * refuse a wired path below a scalar; should one get here, it is still bad input, reported at
 * `declaredAt` (the stack.yaml entry that asks for the `wired` path).
 */
function mappingAt(
  nodes: VNode[],
  dotted: string,
  b: Build,
  declaredAt: DocPath,
  wired = dotted,
): VNode[] {
  let cur = nodes;
  const seen: string[] = [];
  for (const key of dotted.split(".")) {
    seen.push(key);
    const prefix = [...seen];
    const node = childOf(
      cur,
      key,
      `${mdText(b.c.displayName)} chart values under ${mdCode(seen.join("."))}.`,
      (p) => authoredFallback(b.c)([...prefix, ...p]),
    );
    if (!node) {
      throw new InputError("failed to render the umbrella chart: a wired value has no place", [
        {
          position: b.document.locate(declaredAt),
          path: formatPath(declaredAt),
          message: `${wired} needs values.${seen.join(".")} to be a mapping, but it holds a value`,
        },
      ]);
    }
    cur = node.children as VNode[];
  }
  return cur;
}

function addEnvWiring(nodes: VNode[], w: EnvWiring, b: Build) {
  const { c, model } = b;
  const env = mappingAt(nodes, w.path, b, ["components", c.id, "endpointEnv"]);
  const sorted = [...w.endpoints].sort((a, b) => (a.env < b.env ? -1 : a.env > b.env ? 1 : 0));
  for (const e of sorted) {
    const producer = model.components.find((p) => p.id === e.component);
    env.push({
      key: e.env,
      description: `${mdText(producer?.displayName ?? e.component)} ${mdCode(e.name)} endpoint (${mdCode(e.display)}) from the ConfigMap ${mdCode(model.endpointsConfigMap)}; unset while ${mdCode(switchPath(e.component))} is false.`,
      value: {
        valueFrom: {
          configMapKeyRef: { name: model.endpointsConfigMap, key: e.env, optional: true },
        },
      },
      flow: true,
    });
  }
}

function addValueWiring(nodes: VNode[], w: ValueWiring, b: Build) {
  const { c, model } = b;
  const parts = w.path.split(".");
  const leaf = parts.pop() as string;
  const index = c.source.consumes.findIndex((x) => x.value === w.path);
  const declaredAt = ["components", c.id, "consumes", index, "value"];
  const parent =
    parts.length > 0 ? mappingAt(nodes, parts.join("."), b, declaredAt, w.path) : nodes;
  const producer = model.components.find((p) => p.id === w.producer);
  const name = mdText(producer?.displayName ?? w.producer);
  const endpoint = mdCode(`${w.producer}.${w.endpoint.name}`);
  parent.push({
    key: leaf,
    description: w.producerEnabled
      ? `Wired to the ${name} endpoint ${endpoint} (stack.yaml \`consumes\`)${quoted(w)}. Set it to ${mdCode(w.unset)} when installing with ${mdCode(`${switchPath(w.producer)}=false`)}: the chart refuses to install while it points at a disabled component.`
      : `Wired to the ${name} endpoint ${endpoint} (stack.yaml \`consumes\`)${quoted(w)}; unset because ${name} is disabled in stack.yaml. Set it to ${mdCode(w.value)} when enabling it.`,
    value: w.producerEnabled ? w.value : w.unset,
  });
}

/** Why a wired value carries quotes, when it does. */
function quoted(w: ValueWiring): string {
  return w.quote === "python"
    ? ", written as a Python string literal because the chart pastes it into Python source"
    : "";
}

/** Text ending in exactly one full stop. */
function sentence(text: string): string {
  return `${text.trim().replace(/[.\s]+$/, "")}.`;
}

/** The tree of one component: `enabled`, pinned overrides, wiring. */
export function componentTree(
  c: UmbrellaComponent,
  model: UmbrellaModel,
  document: PositionedDocument,
): VNode {
  const chart = c.dependency
    ? ` Chart ${mdCode(c.dependency.name)} ${mdText(c.dependency.version)} from ${mdText(c.repositoryShown)}.`
    : "";
  const b: Build = { c, model, document };
  const children: VNode[] = authoredTree(b);
  for (const w of model.envWiring.filter((x) => x.consumer === c.id)) addEnvWiring(children, w, b);
  for (const w of model.valueWiring.filter((x) => x.consumer === c.id)) {
    addValueWiring(children, w, b);
  }
  return {
    key: c.id,
    description: `${mdText(c.displayName)}: ${mdText(sentence(c.description))}${chart} Every key here is handed to that chart; the switch is ${mdCode(switchPath(c.id))}.`,
    children,
  };
}

/** The whole values tree, in file order. */
export function valuesTree(model: UmbrellaModel, document: PositionedDocument): VNode[] {
  return [
    globalTree(),
    shoppeTree(model),
    componentsTree(model),
    ...model.components.map((c) => componentTree(c, model, document)),
  ];
}
