/**
 * The registry's answer to an unauthenticated request (RFC 7235 `WWW-Authenticate`): Basic
 * (send credentials), or Bearer with the token server's realm, service and scope (the token
 * flow public registries use, anonymous when no credentials are configured).
 */

/** A parsed challenge. */
export interface Challenge {
  scheme: "basic" | "bearer";
  realm?: string;
  service?: string;
  scope?: string;
}

/** Parses the first challenge of a WWW-Authenticate header; undefined when none is usable. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(header);
  if (!m?.[1]) return undefined;
  const scheme = m[1].toLowerCase() as Challenge["scheme"];
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? "").matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    const key = p[1]?.toLowerCase();
    if (key) params[key] = (p[2] ?? p[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return {
    scheme,
    ...(params.realm ? { realm: params.realm } : {}),
    ...(params.service ? { service: params.service } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
  };
}
