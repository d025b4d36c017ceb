/**
 * A registry token server on 127.0.0.1, the bearer-token flow Docker Hub, quay.io and ghcr.io
 * use: docker-registry answers 401 with `Bearer realm=…,service=…,scope=…`, the client asks
 * this server for a token (with Basic credentials, or anonymously), and this server signs a JWT
 * (ES256, its self-signed certificate in the `x5c` header, which the registry trusts through
 * `rootcertbundle`). Anonymous clients get pull access only, as on a public registry; a known
 * user gets what it asks for. Every request is logged with the scopes asked and granted.
 */

import { execFile } from "node:child_process";
import { createPrivateKey, type KeyObject, randomBytes, sign, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

/** One request to the token server. */
export interface TokenRequest {
  user: string | undefined;
  scopes: string[];
  granted: string[];
  status: number;
}

/** A running token server. */
export interface TokenServer {
  /** The realm the registry names: `http://127.0.0.1:<port>/token`. */
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate the registry's rootcertbundle holds. */
  certFile: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** Signs a distribution token for `access` (ES256, x5c header). */
function token(key: KeyObject, cert: X509Certificate, claims: Record<string, unknown>): string {
  const header = { typ: "JWT", alg: "ES256", x5c: [cert.raw.toString("base64")] };
  const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(body), { key, dsaEncoding: "ieee-p1363" });
  return `${body}.${b64url(signature)}`;
}

/** `repository:charts/mlflow:pull,push` → its parts. */
function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const m = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
  return m?.[1] && m[2] && m[3] ? { type: m[1], name: m[2], actions: m[3].split(",") } : undefined;
}

/**
 * Starts the server in `dir` (key and certificate are made there with openssl); `users` maps
 * user names to passwords.
 */
export async function startTokenServer(
  dir: string,
  users: Readonly<Record<string, string>>,
): Promise<TokenServer> {
  const keyFile = path.join(dir, "token.key");
  const certFile = path.join(dir, "token.crt");
  await promisify(execFile)("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...[
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=shoppe test token server",
    ],
  ]);
  const key = createPrivateKey(await readFile(keyFile));
  const cert = new X509Certificate(await readFile(certFile));
  const service = "shoppe-test-registry";
  const issuer = "shoppe-test-token-server";
  const requests: TokenRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const scopes = url.searchParams
      .getAll("scope")
      .flatMap((s) => s.split(" "))
      .filter(Boolean);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const [user, password] = basic ? Buffer.from(basic, "base64").toString().split(/:(.*)/s) : [];
    const log = (status: number, granted: string[]) =>
      requests.push({ user, scopes, granted, status });
    if (user !== undefined && users[user] !== password) {
      log(401, []);
      res
        .writeHead(401, { "content-type": "application/json" })
        .end('{"details":"bad credentials"}');
      return;
    }
    const access = scopes.flatMap((s) => {
      const p = parseScope(s);
      if (!p) return [];
      const actions = user ? p.actions : p.actions.filter((a) => a === "pull");
      return actions.length ? [{ type: p.type, name: p.name, actions }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const jwt = token(key, cert, {
      iss: issuer,
      sub: user ?? "",
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      access,
    });
    log(
      200,
      access.map((a) => `${a.type}:${a.name}:${a.actions.join(",")}`),
    );
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ token: jwt, access_token: jwt, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
