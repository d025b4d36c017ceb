/**
 * The umbrella's values.yaml as a documented tree: `global` (what a facility sets once),
 * `shoppe` (the umbrella's own templates), `components` (one switch per component), then per
 * component the overrides pinned in stack.yaml with their authored comments and the
 * generated wiring.
 */
import type { PositionedDocument } from "../manifest/positions.js";
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
        description: `The ConfigMap \`${model.endpointsConfigMap}\` that publishes the in-cluster endpoint of every enabled component.`,
        children: [
          {
            key: "create",
            description: `Create the ConfigMap \`${model.endpointsConfigMap}\` (a fixed name: consumers need not know the release name; one release per namespace). Notebooks read it through optional references, so turning it off only unsets their endpoint variables.`,
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
      description: `${c.displayName}.`,
      children: [{ key: "enabled", description: `Install ${c.displayName}.`, value: c.enabled }],
    })),
  };
}

function authoredTree(c: UmbrellaComponent, document: PositionedDocument): VNode[] {
  const source = document.doc.getIn(["components", c.id, "values"], true);
  const fallback = (p: string[]) =>
    `${c.displayName} chart value \`${p.join(".")}\`, pinned in stack.yaml.`;
  return treeFromSource(c.source.values, source, fallback);
}

/** The node at a dotted path, creating documented intermediate mappings. */
function mappingAt(nodes: VNode[], dotted: string, c: UmbrellaComponent): VNode[] {
  let cur = nodes;
  const seen: string[] = [];
  for (const key of dotted.split(".")) {
    seen.push(key);
    cur = childOf(cur, key, `${c.displayName} chart values under \`${seen.join(".")}\`.`)
      .children as VNode[];
  }
  return cur;
}

function addEnvWiring(nodes: VNode[], w: EnvWiring, c: UmbrellaComponent, model: UmbrellaModel) {
  const env = mappingAt(nodes, w.path, c);
  const sorted = [...w.endpoints].sort((a, b) => (a.env < b.env ? -1 : a.env > b.env ? 1 : 0));
  for (const e of sorted) {
    const producer = model.components.find((p) => p.id === e.component);
    env.push({
      key: e.env,
      description: `${producer?.displayName ?? e.component} \`${e.name}\` endpoint (${e.display}) from the ConfigMap \`${model.endpointsConfigMap}\`; unset while \`${switchPath(e.component)}\` is false.`,
      value: {
        valueFrom: {
          configMapKeyRef: { name: model.endpointsConfigMap, key: e.env, optional: true },
        },
      },
      flow: true,
    });
  }
}

function addValueWiring(
  nodes: VNode[],
  w: ValueWiring,
  c: UmbrellaComponent,
  model: UmbrellaModel,
) {
  const parts = w.path.split(".");
  const leaf = parts.pop() as string;
  const parent = parts.length > 0 ? mappingAt(nodes, parts.join("."), c) : nodes;
  const producer = model.components.find((p) => p.id === w.producer);
  const name = producer?.displayName ?? w.producer;
  parent.push({
    key: leaf,
    description: w.producerEnabled
      ? `Wired to the ${name} endpoint \`${w.producer}.${w.endpoint.name}\` (stack.yaml \`consumes\`)${quoted(w)}. Set it to \`${w.unset}\` when installing with \`${switchPath(w.producer)}=false\`: the chart refuses to install while it points at a disabled component.`
      : `Wired to the ${name} endpoint \`${w.producer}.${w.endpoint.name}\` (stack.yaml \`consumes\`)${quoted(w)}; unset because ${name} is disabled in stack.yaml. Set it to \`${w.value}\` when enabling it.`,
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
    ? ` Chart \`${c.dependency.name}\` ${c.dependency.version} from ${c.repositoryShown}.`
    : "";
  const children: VNode[] = authoredTree(c, document);
  for (const w of model.envWiring.filter((x) => x.consumer === c.id)) {
    addEnvWiring(children, w, c, model);
  }
  for (const w of model.valueWiring.filter((x) => x.consumer === c.id)) {
    addValueWiring(children, w, c, model);
  }
  return {
    key: c.id,
    description: `${c.displayName}: ${sentence(c.description)}${chart} Every key here is handed to that chart; the switch is \`${switchPath(c.id)}\`.`,
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
