/**
 * Profiles: each stack.yaml profile becomes `ci/<name>-values.yaml` (chart-testing's
 * convention), after its values are checked against the umbrella's values schema so a
 * misspelt key is bad input with its position in stack.yaml, at `validate` (profileValuesRule,
 * which validate hands to loadStack) as at `render`.
 */
import { type Diagnostic, InputError } from "../errors.js";
import type { LoadedStack } from "../manifest/load.js";
import { formatPath, type PositionedDocument } from "../manifest/positions.js";
import { type Rule, sortByPosition } from "../manifest/rules/index.js";
import type { Stack } from "../manifest/schema.js";
import { yamlComment } from "./escape/yaml.js";
import { GENERATED_NOTICE, type UmbrellaModel } from "./model.js";
import { checkValues, type JsonSchema, type SchemaModel, valuesSchema } from "./values-schema.js";
import { treeFromSource, treeToYaml } from "./vtree.js";

/** Every profile value that the umbrella schema rejects, as positioned diagnostics. */
export function profileProblems(
  stack: Stack,
  document: PositionedDocument,
  schema: JsonSchema,
): Diagnostic[] {
  return Object.entries(stack.profiles).flatMap(([name, profile]) =>
    checkValues(profile.values, schema, { partial: true }).map((p) => {
      const docPath = ["profiles", name, "values", ...p.path];
      return {
        position: document.locate(docPath),
        path: formatPath(docPath),
        message: `profile "${name}": ${p.message}`,
      };
    }),
  );
}

/** The part of the umbrella model its values schema needs, straight from the manifest. */
function schemaModelOf(stack: Stack): SchemaModel {
  return {
    name: stack.release.name,
    components: Object.entries(stack.components).map(([id, c]) => ({
      id,
      displayName: c.displayName,
    })),
  };
}

/** The profile check as a manifest rule, so `shoppe validate` reports what render would. */
export const profileValuesRule: Rule = {
  name: "profile-values",
  check: (stack, ctx) =>
    profileProblems(stack, ctx.document, valuesSchema(schemaModelOf(stack), GENERATED_NOTICE)),
};

/** Throws InputError listing every rejected profile value. */
export function assertProfiles(loaded: LoadedStack, schema: JsonSchema): void {
  const problems = profileProblems(loaded.stack, loaded.document, schema);
  if (problems.length > 0) {
    throw new InputError(
      `failed to render the umbrella chart: profile values that are not umbrella values`,
      sortByPosition(problems),
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
      tree.length > 0
        ? treeToYaml(tree, header)
        : `${yamlComment(header).replace(/^/gm, "# ")}\n{}\n`;
  }
  return out;
}
