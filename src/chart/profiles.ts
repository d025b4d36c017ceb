/**
 * Profiles: each stack.yaml profile becomes `ci/<name>-values.yaml` (chart-testing's
 * convention), after its values are checked against the umbrella's values schema so a
 * misspelt key fails the render with its position in stack.yaml.
 */
import { type Diagnostic, InputError } from "../errors.js";
import type { LoadedStack } from "../manifest/load.js";
import { formatPath } from "../manifest/positions.js";
import { GENERATED_NOTICE, switchPath, type UmbrellaModel } from "./model.js";
import { checkAgainstSchema, type JsonSchema } from "./values-schema.js";
import { treeFromSource, treeToYaml } from "./vtree.js";

/** Every profile value that the umbrella schema rejects, as positioned diagnostics. */
export function profileProblems(loaded: LoadedStack, schema: JsonSchema): Diagnostic[] {
  return Object.entries(loaded.stack.profiles).flatMap(([name, profile]) => {
    const problems = [
      ...checkAgainstSchema(profile.values, schema, [], true),
      ...misplacedSwitches(loaded, profile.values),
    ];
    return problems.map((p) => {
      const docPath = ["profiles", name, "values", ...p.path];
      return {
        position: loaded.document.locate(docPath),
        path: formatPath(docPath),
        message: `profile "${name}": ${p.message}`,
      };
    });
  });
}

/**
 * `<id>.enabled` in a profile would be handed to the component's chart, not switch it; the
 * umbrella's templates refuse it at install time, and a profile is refused here already.
 */
function misplacedSwitches(loaded: LoadedStack, values: Record<string, unknown>) {
  return Object.keys(loaded.stack.components)
    .filter((id) => {
      const block = Object.hasOwn(values, id) ? values[id] : undefined;
      return typeof block === "object" && block !== null && Object.hasOwn(block, "enabled");
    })
    .map((id) => ({
      path: [id, "enabled"],
      message: `"${id}.enabled" would be handed to the component's chart; the switch is ${switchPath(id)}`,
    }));
}

/** Throws InputError listing every rejected profile value. */
export function assertProfiles(loaded: LoadedStack, schema: JsonSchema): void {
  const problems = profileProblems(loaded, schema);
  if (problems.length > 0) {
    throw new InputError(
      `failed to render the umbrella chart: profile values that are not umbrella values`,
      problems,
    );
  }
}

/** `ci/<name>-values.yaml` for every profile, comments carried over from stack.yaml. */
export function profileFiles(model: UmbrellaModel, loaded: LoadedStack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, profile] of Object.entries(model.profiles)) {
    const source = loaded.document.doc.getIn(["profiles", name, "values"], true);
    const tree = treeFromSource(profile.values, source, () => "");
    const header = [GENERATED_NOTICE, `Profile "${name}": ${profile.description}`].join("\n");
    out[`ci/${name}-values.yaml`] =
      tree.length > 0 ? treeToYaml(tree, header) : `${header.replace(/^/gm, "# ")}\n{}\n`;
  }
  return out;
}
