/**
 * The OCI registry client against a loopback registry that answers badly on purpose: a token
 * realm that is no http(s) URL is a FetchError naming it (the artefact is then unresolved), not
 * a TypeError that would end the run as an internal error.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FetchError } from "../../src/net/fetch-error.js";
import { HttpClient } from "../../src/net/http-client.js";
import { CredentialStore } from "../../src/oci/credentials.js";
import { RegistryClient } from "../../src/oci/registry-client.js";

let realm = "";
const server = http.createServer((_req, res) => {
  res.writeHead(401, { "www-authenticate": `Bearer realm="${realm}",service="x"` }).end();
});
let registry = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it.each(["not a url", "file:///etc/passwd"])(
  "refuses the token realm %j in one line",
  async (r) => {
    realm = r;
    const client = new RegistryClient(new HttpClient({ retries: 0 }), new CredentialStore());
    const err = await client.head({ registry, path: "a/b" }, "1.0").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toBe(
      `failed to fetch http://${registry}/v2/: the registry names a token server that is no http(s) URL: "${r}"`,
    );
  },
);

it("follows a tag list's next page on the registry's origin, never onto another host", async () => {
  const seen: string[] = [];
  const other = http.createServer((req, res) => {
    seen.push(`other ${req.url} ${req.headers.authorization ?? "no auth"}`);
    res.writeHead(200, { "content-type": "application/json" }).end('{"tags":["9.9"]}');
  });
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const pages = http.createServer((req, res) => {
    seen.push(`registry ${req.url}`);
    const first = !req.url?.includes("last=");
    const link = first
      ? '</v2/a/b/tags/list?n=1000&last=1.0>; rel="next"'
      : `<${elsewhere}/v2/a/b/tags/list?last=2.0>; rel="next"`;
    res
      .writeHead(200, { "content-type": "application/json", link })
      .end(JSON.stringify({ tags: [first ? "1.0" : "2.0"] }));
  });
  await new Promise<void>((r) => pages.listen(0, "127.0.0.1", r));
  const host = `127.0.0.1:${(pages.address() as AddressInfo).port}`;
  try {
    const client = new RegistryClient(new HttpClient({ retries: 0 }), new CredentialStore());
    const err = await client.tags({ registry: host, path: "a/b" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toBe(
      `failed to fetch http://${host}/v2/a/b/tags/list?n=1000&last=1.0: the next page is on another host (${elsewhere}); it is not followed with this registry's token`,
    );
    expect(seen).toEqual([
      "registry /v2/a/b/tags/list?n=1000",
      "registry /v2/a/b/tags/list?n=1000&last=1.0",
    ]);
  } finally {
    await new Promise<void>((r) => pages.close(() => r()));
    await new Promise<void>((r) => other.close(() => r()));
  }
});
