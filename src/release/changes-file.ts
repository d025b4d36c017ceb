/**
 * `release-changes.yaml`, beside stack.yaml: the `artifacthub.io/changes` entries of the
 * release being cut, written by `shoppe release cut` (from templates/artifacthub-changes.yaml.hbs)
 * and read by `shoppe render`, so the committed chart and `render --check` agree. Entries
 * of another version than stack.yaml's are not this release's and are ignored.
 */
import path from "node:path";
import { stringify } from "yaml";
import * as z from "zod";
import type { ArtifactHubChange } from "../chart/chart-yaml.js";
import { InputError, InputFileError } from "../errors.js";
import { parseYamlFile, parseYamlText } from "../manifest/parse.js";
import { issuesToDiagnostics } from "../manifest/schema-issues.js";

/** The file's name, beside stack.yaml. */
export const CHANGES_FILE = "release-changes.yaml";

/** The committed JSON Schema of the file. */
export const CHANGES_SCHEMA_FILE = "schema/release-changes.schema.json";

/** One entry, as Artifact Hub defines `artifacthub.io/changes`. */
export const ArtifactHubChangeSchema = z.strictObject({
  kind: z.enum(["added", "changed", "deprecated", "removed", "fixed", "security"]),
  description: z.string().min(1),
  links: z
    .array(z.strictObject({ name: z.string().min(1), url: z.url({ protocol: /^https?$/ }) }))
    .optional(),
});

/** The file's model. */
export const ReleaseChangesSchema = z
  .strictObject({
    version: z
      .string()
      .describe("the release these entries belong to (stack.yaml's release.version)"),
    changes: z.array(ArtifactHubChangeSchema).describe("artifacthub.io/changes entries"),
  })
  .describe("Coffea Shoppe release changes: the umbrella's artifacthub.io/changes");

/** The file as data. */
export type ReleaseChanges = z.infer<typeof ReleaseChangesSchema>;

/** The JSON Schema text of the file (committed under schema/). */
export function releaseChangesJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(ReleaseChangesSchema), null, 2)}\n`;
}

/** Checks entries rendered from a template; InputError naming the template otherwise. */
export function parseChanges(text: string, shown: string): ArtifactHubChange[] {
  const { positioned, value } = parseYamlText(text, shown, { allowEmpty: true });
  const parsed = z.array(ArtifactHubChangeSchema).safeParse(value ?? [], { reportInput: true });
  if (!parsed.success) {
    throw new InputError(
      `failed to read the changes ${shown} rendered: not a list of artifacthub.io/changes entries`,
      issuesToDiagnostics(parsed.error.issues, positioned),
    );
  }
  return parsed.data;
}

/** The file's text for `version` (deterministic). */
export function changesFileText(version: string, changes: ArtifactHubChange[]): string {
  const header = `# yaml-language-server: $schema=./${CHANGES_SCHEMA_FILE}\n# Written by \`shoppe release cut\`: the artifacthub.io/changes of release ${version}.\n# \`shoppe render\` reads it; edit templates/artifacthub-changes.yaml.hbs rather than this file.\n`;
  return header + stringify({ version, changes }, { lineWidth: 0 });
}

/** The entries for `version` in the file beside `stackDir`; none when absent or of another version. */
export async function readReleaseChanges(
  stackDir: string,
  version: string,
): Promise<ArtifactHubChange[] | undefined> {
  const file = path.join(stackDir, CHANGES_FILE);
  // Read once, non-blocking (a FIFO is refused, not waited on); absent means no changes.
  const parsedFile = await parseYamlFile(file, CHANGES_FILE).catch((err: unknown) => {
    if (err instanceof InputFileError && err.missing) return undefined;
    throw err;
  });
  if (!parsedFile) return undefined;
  const { positioned, value } = parsedFile;
  const parsed = ReleaseChangesSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(
      `failed to read ${CHANGES_FILE}: not a valid release changes file`,
      issuesToDiagnostics(parsed.error.issues, positioned),
    );
  }
  return parsed.data.version === version ? parsed.data.changes : undefined;
}
