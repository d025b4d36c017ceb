/**
 * Secret redaction for anything that reaches a log or an error message. Tokens are
 * registered once (from the environment or when read) and replaced wherever they appear.
 */

const ENV_SECRET = /(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
const INLINE_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /(--password(?:=|\s+))\S+/g,
  /(Authorization:\s*(?:Bearer|token|Basic)\s+)\S+/gi,
];

/** Replaces registered secrets and well-known token shapes with `***`. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers values of secret-looking environment variables (GITHUB_TOKEN, …). */
  static fromEnv(env: NodeJS.ProcessEnv): Redactor {
    const r = new Redactor();
    for (const [k, v] of Object.entries(env)) if (v && ENV_SECRET.test(k)) r.add(v);
    return r;
  }

  /** Registers one secret value; very short values are ignored to avoid mangling output. */
  add(secret: string): void {
    if (secret.length >= 6) this.secrets.add(secret);
  }

  /** Returns `text` with every known secret and token shape replaced. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join("***");
    for (const p of INLINE_PATTERNS) {
      out = out.replace(p, (_m, prefix?: string) =>
        typeof prefix === "string" ? `${prefix}***` : "***",
      );
    }
    return out;
  }
}
