/**
 * ServiceX's source for the service tier, checked out from a mirror's git entry: a real git
 * repository in a temp dir stands for the mirror's ServiceX (the upstream bundle's history is
 * not needed to prove the checkout and its errors).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import { imageTag, servicexSource } from "../../src/e2e/service/launchers/servicex-source.js";
import type { Mirror } from "../../src/mirror/mirror-file.js";
import { type TempDir, tempDir } from "../support/temp.js";

describe("ServiceX's source for the service tier", () => {
  let dir: TempDir;
  let mirror: Mirror;
  const ctx = () => createContext({ root: dir.path });
  beforeAll(async () => {
    dir = await tempDir("servicex-source");
    const repo = path.join(dir.path, "mirror", "git", "ServiceX");
    const run = (args: string[], cwd = repo) => ctx().runner.run("git", args, { cwd });
    await run(["init", "--quiet", repo], dir.path);
    await writeFile(path.join(repo, "boot.sh"), "#!/bin/sh\necho servicex\n");
    await run(["add", "boot.sh"]);
    await run(["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one"]);
    await run(["tag", "v1.5.3"]);
    mirror = {
      dir: path.join(dir.path, "mirror"),
      shown: "site-mirror",
      charts: [],
      git: [{ url: "https://github.com/ssl-hep/ServiceX", path: "git/ServiceX" }],
      substitutes: [],
    };
  });
  afterAll(() => dir?.remove());

  const launch = () => ({
    mirror,
    runner: ctx().runner,
    signal: AbortSignal.timeout(60_000),
    timeoutMs: 60_000,
  });

  it("checks the tag out from the mirror's git entry", async () => {
    const src = await servicexSource(launch(), "v1.5.3", path.join(dir.path, "one"));
    expect(src).toEqual({
      dir: path.join(dir.path, "one", "ServiceX"),
      tag: "v1.5.3",
      from: path.join(dir.path, "mirror", "git", "ServiceX"),
    });
    expect(await readFile(path.join(src.dir, "boot.sh"), "utf8")).toContain("servicex");
  });

  it("names the tag, the mirror and both ways out when the tag is not there", async () => {
    await expect(servicexSource(launch(), "v9.9.9", path.join(dir.path, "two"))).rejects.toThrow(
      /^failed to check out ServiceX v9\.9\.9 from the mirror site-mirror: .*v9\.9\.9.*; pass --mirror with a mirror whose mirror\.yaml maps https:\/\/github\.com\/ssl-hep\/ServiceX to a clone or bundle of it \(git:\), or run where GitHub is reachable$/,
    );
  });

  it("reads the tag of the app image, and refuses an image without one", () => {
    expect(imageTag("sslhep/servicex_app:v1.5.3")).toBe("v1.5.3");
    expect(imageTag("registry.local:5000/sslhep/servicex_app:v1.5.3@sha256:abc")).toBe("v1.5.3");
    expect(() => imageTag("registry.local:5000/sslhep/servicex_app")).toThrow(
      "the image registry.local:5000/sslhep/servicex_app names no tag to check the source out at",
    );
  });
});
