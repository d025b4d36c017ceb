/**
 * Bad answers of an HTTP chart repository: an archive URL no client can follow, or an archive
 * whose bytes are not the ones its index entry publishes a digest of, make the release's
 * archive a FetchError naming the entry or the URL (as the mirror's archives already were),
 * never a TypeError, and never bytes bump would then read image tags from.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import { FetchError } from "../../src/net/fetch-error.js";
import { Feeds } from "../../src/updates/feeds.js";
import { openUpstream } from "../../src/updates/upstream.js";
import { tempDir } from "../support/temp.js";

const INDEX = `apiVersion: v1
entries:
  demo:
  - apiVersion: v2
    name: demo
    version: 1.0.0
    urls:
    - "http://[::1"
  - apiVersion: v2
    name: demo
    version: 1.1.0
  - apiVersion: v2
    name: demo
    version: 1.2.0
    digest: ${"ab".repeat(32)}
    urls:
    - demo-1.2.0.tgz
generated: "2026-12-01T00:00:00Z"
`;

it("refuses an archive URL that does not parse, a release without one, and bytes the index does not publish", async () => {
  const server = http.createServer((q, res) =>
    res.writeHead(200).end(q.url?.endsWith(".tgz") ? "other bytes" : INDEX),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const dir = await tempDir("feeds");
  try {
    const repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
    const feeds = new Feeds(await openUpstream(createContext({ root: dir.path }), { retries: 0 }));
    const source = {
      component: "demo",
      kind: "http" as const,
      chart: "demo",
      version: "1.0.0",
      location: repository,
      enabled: true,
    };
    const feed = await feeds.feed(source);
    for (const [version, reason] of [
      ["1.0.0", 'demo 1.0.0 lists no usable archive URL ("http://[::1")'],
      ["1.1.0", "demo 1.1.0 lists no archive URL"],
    ]) {
      const release = await feed.release("demo", version as string);
      const err = await release?.archive().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).message).toBe(
        `failed to fetch ${repository}/index.yaml: ${reason}`,
      );
    }
    const tampered = await (await feed.release("demo", "1.2.0"))?.archive().catch((e) => e);
    expect((tampered as Error).message).toBe(
      `failed to fetch ${repository}/demo-1.2.0.tgz: not the published archive (sha256:${createHash("sha256").update("other bytes").digest("hex")})`,
    );
  } finally {
    server.close();
    await dir.remove();
  }
});
