/**
 * Registry credentials from a file in the format docker, podman, skopeo and helm write
 * (`{"auths": {"<registry>": {"auth": base64("user:password")}}}`, or `username`/`password`).
 * The file is named by the `registry-auth` setting; without it every registry is asked
 * anonymously. Each password is registered with the redactor the moment it is read.
 */
import { InputError } from "../errors.js";
import type { Redactor } from "../exec/redact.js";
import { readInputText } from "../io/read-input.js";

/** A user name and password for one registry. */
export interface Credential {
  username: string;
  password: string;
}

/** Credentials by registry. */
export class CredentialStore {
  constructor(private readonly byRegistry: ReadonlyMap<string, Credential> = new Map()) {}

  /** The credential for `registry` (`docker.io` also matches docker's index.docker.io key). */
  lookup(registry: string): Credential | undefined {
    const direct = this.byRegistry.get(registry);
    if (direct || registry !== "docker.io") return direct;
    return this.byRegistry.get("index.docker.io") ?? this.byRegistry.get("registry-1.docker.io");
  }
}

/** `https://index.docker.io/v1/` → `index.docker.io`; `127.0.0.1:5000` stays. */
function registryKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
}

function decode(entry: unknown): Credential | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  if (typeof e.username === "string" && typeof e.password === "string") {
    return { username: e.username, password: e.password };
  }
  if (typeof e.auth !== "string") return undefined;
  const plain = Buffer.from(e.auth, "base64").toString("utf8");
  const colon = plain.indexOf(":");
  return colon > 0
    ? { username: plain.slice(0, colon), password: plain.slice(colon + 1) }
    : undefined;
}

/** Reads the credentials file `file` (shown as `shown`); an unusable file is an InputError. */
export async function loadCredentials(
  file: string,
  shown: string,
  redactor: Redactor,
): Promise<CredentialStore> {
  const text = await readInputText(file, { shown, maxBytes: 1024 * 1024 });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      `failed to read the registry credentials ${shown}: not JSON (${(err as Error).message}); write it as docker and helm do: {"auths": {"<registry>": {"auth": "<base64 of user:password>"}}}`,
    );
  }
  const auths = (doc as { auths?: unknown } | null)?.auths;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) {
    throw new InputError(
      `failed to read the registry credentials ${shown}: it has no "auths" mapping; write it as docker and helm do: {"auths": {"<registry>": {"auth": "<base64 of user:password>"}}}`,
    );
  }
  const map = new Map<string, Credential>();
  for (const [key, entry] of Object.entries(auths)) {
    const c = decode(entry);
    if (!c) continue;
    redactor.add(c.password);
    redactor.add(Buffer.from(`${c.username}:${c.password}`).toString("base64"));
    map.set(registryKey(key), c);
  }
  return new CredentialStore(map);
}
