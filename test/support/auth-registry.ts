/**
 * Debian's docker-registry on 127.0.0.1 with authentication, both ways it supports: `htpasswd`
 * (Basic credentials on every request; the bcrypt entry made by the pinned python3's crypt) and
 * `token` (the bearer-token flow, with the token server of token-server.ts: anonymous pulls,
 * authenticated pushes, as public registries run). Gives the credentials in the forms the
 * clients take: a docker-style auths file for shoppe's `registry-auth`, `user:password` for
 * skopeo, and a helm logged in to it.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Helm } from "../../src/tools/helm.js";
import { findTool } from "../helpers/tools.js";
import { DOCKER_REGISTRY, type OciRegistry, startOciRegistry } from "./oci-registry.js";
import { type TempDir, tempDir } from "./temp.js";
import { startTokenServer, type TokenServer } from "./token-server.js";

/** How the registry authenticates. */
export type RegistryAuthMode = "htpasswd" | "token";

/** A registry with authentication and its credentials. */
export interface AuthRegistry {
  registry: OciRegistry;
  mode: RegistryAuthMode;
  user: string;
  password: string;
  /** A docker-style `{"auths": …}` file for this registry (shoppe's registry-auth). */
  authFile: string;
  /** The token server (token mode). */
  tokens?: TokenServer;
  /** Logs `helm` in, so `helm push` is authorised. */
  login(helm: Helm): Promise<void>;
  close(): Promise<void>;
}

/** A bcrypt htpasswd line for `user` (cost 4: each request pays one verification). */
async function htpasswdLine(user: string, password: string): Promise<string> {
  const python = findTool("python3");
  if (!python) throw new Error("python3 is missing: run scripts/install-tools");
  const { stdout } = await promisify(execFile)(python, [
    "-W",
    "ignore",
    "-c",
    "import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))",
    password,
  ]);
  return `${user}:${stdout.trim()}\n`;
}

/** Starts a registry authenticating by `mode`. */
export async function startAuthRegistry(mode: RegistryAuthMode): Promise<AuthRegistry> {
  const dir: TempDir = await tempDir(`auth-registry-${mode}`);
  const user = "shoppe-bot";
  const password = `pw-${Math.random().toString(36).slice(2)}-registry`;
  let tokens: TokenServer | undefined;
  const closers: (() => Promise<void>)[] = [dir.remove];
  try {
    let config: string[];
    if (mode === "htpasswd") {
      const file = path.join(dir.path, "htpasswd");
      await writeFile(file, await htpasswdLine(user, password));
      config = ["auth:", "  htpasswd:", "    realm: shoppe-test", `    path: ${file}`];
    } else {
      tokens = await startTokenServer(dir.path, { [user]: password });
      closers.push(tokens.close);
      config = [
        "auth:",
        "  token:",
        `    realm: ${tokens.realm}`,
        `    service: ${tokens.service}`,
        `    issuer: ${tokens.issuer}`,
        `    rootcertbundle: ${tokens.certFile}`,
      ];
    }
    const registry = await startOciRegistry(DOCKER_REGISTRY, { config });
    closers.push(registry.close);
    const authFile = path.join(dir.path, "auth.json");
    const auth = Buffer.from(`${user}:${password}`).toString("base64");
    await writeFile(authFile, JSON.stringify({ auths: { [registry.host]: { auth } } }));
    return {
      registry,
      mode,
      user,
      password,
      authFile,
      ...(tokens ? { tokens } : {}),
      login: (helm) =>
        helm.registryLogin(registry.host, { username: user, password, plainHttp: true }),
      close: async () => {
        for (const c of closers.reverse()) await c();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => {});
    throw err;
  }
}
