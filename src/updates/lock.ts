/**
 * stack.lock: what every pin of stack.yaml (charts, images, kind node images) resolved to when
 * `shoppe verify` last wrote it. One zod model gives the types, the strict reader and
 * schema/stack-lock.schema.json. The file is deterministic: stack.yaml's order, no timestamps,
 * and an artefact that could not be resolved carries the reason instead of a digest (never an
 * invented one).
 */
import { stringify } from "yaml";
import * as z from "zod";
import { type Diagnostic, InputError, InputFileError } from "../errors.js";
import { readInputText } from "../io/read-input.js";
import { COMPONENT_ID } from "../manifest/fields.js";
import { DIGEST, KUBE_VERSION } from "../manifest/formats.js";
import { parseYamlText } from "../manifest/parse.js";
import { issuesToDiagnostics } from "../manifest/schema-issues.js";

/** The lock file, relative to the project root (beside stack.yaml). */
export const LOCK_FILE = "stack.lock";
/** Where its JSON Schema is committed. */
export const LOCK_SCHEMA_FILE = "schema/stack-lock.schema.json";

const digest = z.string().regex(DIGEST.pattern, "must be sha256:<64 hex>");
const reason = z
  .string()
  .min(1)
  .describe("Why the digest could not be resolved (it is never guessed)");

/** A pinned chart and what its source publishes for it. */
const LockedChart = z
  .strictObject({
    repository: z.string().min(1).optional().describe("Helm repository or oci:// URL"),
    path: z
      .string()
      .min(1)
      .optional()
      .describe("First-party chart directory (no digest: it is in this repository)"),
    name: z.string().min(1),
    version: z.string().min(1),
    digest: digest
      .optional()
      .describe("The index's digest of the archive, or the OCI manifest digest"),
    unresolved: reason.optional(),
  })
  .describe("A chart pin");

/** A pinned image and its manifest. */
const LockedImage = z
  .strictObject({
    name: z.string().min(1).describe("The image's name in stack.yaml"),
    image: z.string().min(1).describe("repository:tag, as stack.yaml pins it (registry included)"),
    digest: digest
      .optional()
      .describe("Digest of the manifest or multi-platform index the tag points to"),
    mediaType: z.string().min(1).optional(),
    platforms: z
      .array(z.string().min(1))
      .optional()
      .describe("os/arch[/variant] the image is published for"),
    unresolved: reason.optional(),
  })
  .describe("An image pin");

/** The kind node image pinned for a Kubernetes version, and what its registry serves for it. */
const LockedNodeImage = z
  .strictObject({
    version: z.string().regex(KUBE_VERSION.pattern).describe("The Kubernetes version"),
    image: z
      .string()
      .min(1)
      .describe("registry/kindest/node:vX.Y.Z@sha256:…, as stack.yaml pins it (registry included)"),
    digest: digest
      .optional()
      .describe("Digest of the manifest or index the registry serves for the pinned digest"),
    mediaType: z.string().min(1).optional(),
    platforms: z
      .array(z.string().min(1))
      .optional()
      .describe("os/arch[/variant] the node image is published for"),
    unresolved: reason.optional(),
  })
  .describe("A kind node image pin (kubernetes.versions[].kindNodeImage)");

/** The whole lock. */
export const LockSchema = z
  .strictObject({
    apiVersion: z.literal("shoppe.coffea-casa.io/v1alpha1"),
    kind: z.literal("StackLock"),
    kubernetes: z
      .array(LockedNodeImage)
      .optional()
      .describe("Per Kubernetes version with a kind node image, in stack.yaml's order"),
    components: z
      .record(
        z.string().regex(COMPONENT_ID),
        z.strictObject({ chart: LockedChart.optional(), images: z.array(LockedImage) }),
      )
      .describe("Per component of stack.yaml, in its order"),
  })
  .describe("Coffea Shoppe stack.lock: digests of every pinned chart and image (shoppe verify)");

/** A stack.lock. */
export type StackLock = z.infer<typeof LockSchema>;
/** A locked chart. */
export type LockedChartEntry = z.infer<typeof LockedChart>;
/** A locked image. */
export type LockedImageEntry = z.infer<typeof LockedImage>;
/** A locked kind node image. */
export type LockedNodeImageEntry = z.infer<typeof LockedNodeImage>;

const HEADER = `# yaml-language-server: $schema=./${LOCK_SCHEMA_FILE}
# Written by \`shoppe verify\` from stack.yaml: the digest every pinned chart, image and kind
# node image resolved to. \`shoppe verify\` fails when a tag now points to other bytes; after a
# deliberate change run \`shoppe verify --update-lock\`. An artefact that could not be checked
# where the lock was written carries \`unresolved:\` with the reason instead of a digest. Do not
# edit by hand.
`;

/** The lock's text: header, then the model's keys in its order. */
export function formatLock(lock: StackLock): string {
  return `${HEADER}${stringify(LockSchema.parse(lock), { lineWidth: 0 })}`;
}

/**
 * Reads a lock strictly; undefined when the file does not exist. With `rewrite` (verify
 * --update-lock) a file that starts with the lock's header but no longer reads as a lock (a
 * merge conflict, a bad hand edit) is undefined too, so it can be written again; any other
 * file stays an error, so a mistaken --lock never overwrites it.
 */
export async function readLock(
  file: string,
  shown: string,
  options: { rewrite?: boolean } = {},
): Promise<StackLock | undefined> {
  let text: string;
  try {
    text = await readInputText(file, { shown });
  } catch (err) {
    if (err instanceof InputFileError && err.missing) return undefined;
    throw err;
  }
  const ours = text.startsWith(HEADER.slice(0, HEADER.indexOf("\n") + 1));
  const invalid = (diagnostics: Diagnostic[], cause?: unknown) => {
    if (options.rewrite && ours) return undefined;
    const fix = options.rewrite
      ? "it does not begin with the header shoppe verify writes, so it is not replaced; name another --lock or delete it"
      : "write it again with shoppe verify --update-lock";
    throw new InputError(`failed to load ${shown}: not a valid lock file; ${fix}`, diagnostics, {
      cause,
    });
  };
  let parsed: ReturnType<typeof parseYamlText>;
  try {
    parsed = parseYamlText(text, shown);
  } catch (err) {
    if (err instanceof InputError) return invalid(err.diagnostics, err);
    throw err;
  }
  const result = LockSchema.safeParse(parsed.value, { reportInput: true });
  if (!result.success) {
    return invalid(issuesToDiagnostics(result.error.issues, parsed.positioned));
  }
  return result.data;
}

/** The lock's JSON Schema as committed (stable key order, trailing newline). */
export function lockJsonSchemaText(): string {
  const schema = z.toJSONSchema(LockSchema, { io: "input", target: "draft-2020-12" });
  const withId = {
    $id: "https://coffea-casa.io/schemas/shoppe/stack-lock.schema.json",
    title: "Coffea Shoppe stack.lock",
    ...schema,
  };
  return `${JSON.stringify(withId, null, 2)}\n`;
}
