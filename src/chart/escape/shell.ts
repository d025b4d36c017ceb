/** Escaping for the shell commands the README shows: each argument is one POSIX shell word. */
import { InputError } from "../../errors.js";

/** Characters that never need quoting in a POSIX shell word. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `text` as one shell word on one line: as is when safe, else single-quoted (a quote inside
 * becomes `'\''`). A line break cannot be shown on one line, so it is refused.
 */
export function shellWord(text: string): string {
  if (/[\r\n\u0085\u2028\u2029]/.test(text)) {
    throw new InputError(
      `failed to render the umbrella chart: ${JSON.stringify(text)} holds a line break, so the README cannot show it in a one-line command; remove it`,
    );
  }
  return SAFE.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
