/**
 * Turns zod issues into diagnostics with positions and messages a manifest author reads
 * ("is required", "unknown key \"foo\"") rather than validator jargon.
 */
import type * as z from "zod";
import type { Diagnostic } from "../errors.js";
import { type DocPath, formatPath, type PositionedDocument } from "./positions.js";
import { quote } from "./text.js";

type Issue = z.core.$ZodIssue;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value === "string" ? quote(value) : String(value);
}

/** Diagnostics for one issue; unions are resolved to the branch the author most likely meant. */
function translate(issue: Issue, doc: PositionedDocument): Diagnostic[] {
  const path = issue.path as DocPath;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((k) => ({
        position: doc.locate(path, k),
        path: formatPath([...path, k]),
        message: `unknown key ${quote(k)}`,
      }));
    case "invalid_type": {
      const input = (issue as { input?: unknown }).input;
      const message =
        input === undefined
          ? "is required"
          : `must be ${issue.expected === "object" ? "a mapping" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}, got ${describe(input)}`;
      return [{ position: doc.locate(path), path: formatPath(path), message }];
    }
    case "invalid_union": {
      // The branch with the fewest issues is the one the author was writing.
      const branches = issue.errors.filter((b) => b.length > 0);
      const best = branches.sort((a, b) => a.length - b.length)[0];
      if (best) {
        return best.flatMap((i) => translate({ ...i, path: [...path, ...i.path] } as Issue, doc));
      }
      break;
    }
    case "invalid_value":
      if ((issue as { input?: unknown }).input === undefined) {
        return [{ position: doc.locate(path), path: formatPath(path), message: "is required" }];
      }
      return [
        {
          position: doc.locate(path),
          path: formatPath(path),
          message: `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`,
        },
      ];
    case "invalid_key": {
      // A record key that fails its own schema: the key's messages, at the entry it names.
      const position = doc.locate(path);
      return issue.issues.map((i) => ({ position, path: formatPath(path), message: i.message }));
    }
    case "invalid_format":
    case "custom":
      // The schema's formats and refinements write whole messages, the value quoted in them.
      return [{ position: doc.locate(path), path: formatPath(path), message: issue.message }];
    default:
      break;
  }
  const input = (issue as { input?: unknown }).input;
  const message = typeof input === "string" ? `${quote(input)} ${issue.message}` : issue.message;
  return [{ position: doc.locate(path), path: formatPath(path), message }];
}

/** Diagnostics for all issues of a failed parse. */
export function issuesToDiagnostics(
  issues: readonly Issue[],
  doc: PositionedDocument,
): Diagnostic[] {
  return issues.flatMap((i) => translate(i, doc));
}
