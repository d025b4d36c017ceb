/** The shape of a semantic rule over stack.yaml, and the helper that positions its findings. */
import type { Diagnostic } from "../../errors.js";
import { type DocPath, formatPath, type PositionedDocument } from "../positions.js";
import type { Stack } from "../schema.js";

/** What a rule may look at besides the manifest. */
export interface RuleContext {
  document: PositionedDocument;
  /** Directory of stack.yaml; first-party chart paths are relative to it. */
  dir: string;
}

/** A named check over the whole manifest. */
export interface Rule {
  name: string;
  check(stack: Stack, ctx: RuleContext): Diagnostic[] | Promise<Diagnostic[]>;
}

/** A diagnostic at `p`, positioned in the source document. */
export function at(ctx: RuleContext, p: DocPath, message: string): Diagnostic {
  return { position: ctx.document.locate(p), path: formatPath(p), message };
}
