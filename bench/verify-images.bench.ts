/**
 * Verifying images: `shoppe verify` on a stack pinning 50 images against a sequential loop of
 * `skopeo inspect` over the same 50, one process per image as a maintainer would script it.
 * Both talk to Debian's docker-registry on 127.0.0.1 with the bearer-token flow and the same
 * credentials; 45 images are single-platform, 5 are two-platform indexes. Shoppe is measured
 * as the built CLI (whole process) and as the verify action in this process (the verification
 * work without Node's start and module loading), each cold (no lock: every manifest and
 * platform fetched) and against a lock (a HEAD per image). Goal: at least 10x faster.
 * Beside them runs a floor, not a peer: a Node process that only sends the requests a check
 * against the lock needs (support/requests-only.mjs), the least any verifying process can take
 * against this registry on this machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, bench, describe } from "vitest";
import { verify } from "../src/actions/verify.js";
import { createContext } from "../src/context.js";
import { findTool } from "../test/helpers/tools.js";
import { type AuthRegistry, startAuthRegistry } from "../test/support/auth-registry.js";
import { buildImage, pushImage } from "../test/support/oci-layout.js";
import { cliMissing, ROOT, run, SHOPPE_BIN } from "./support/processes.js";

const REQUESTS_ONLY = path.join(import.meta.dirname, "support", "requests-only.mjs");

const IMAGES = 50;
const skopeo = findTool("skopeo");
const registryBinary = findTool("docker-registry");
const missing =
  cliMissing() ??
  (skopeo && registryBinary
    ? undefined
    : "no skopeo or docker-registry: run scripts/install-tools");

async function setup() {
  const reg: AuthRegistry = await startAuthRegistry("token");
  const work = mkdtempSync(path.join(os.tmpdir(), "shoppe-bench-verify-"));
  const runner = createContext({ root: ROOT }).runner;
  const refs: string[] = [];
  const images: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const repository = `bench/image-${String(i).padStart(2, "0")}`;
    const platforms = [{ os: "linux", architecture: "amd64" }];
    if (i % 10 === 0) platforms.push({ os: "linux", architecture: "arm64" });
    const built = await buildImage(
      path.join(work, `layout-${i}`),
      "1.0.0",
      `image ${i}`,
      platforms,
    );
    await pushImage(runner, skopeo as string, built, {
      host: reg.registry.host,
      repository,
      authFile: reg.authFile,
    });
    refs.push(`${reg.registry.host}/${repository}:1.0.0`);
    images.push(
      `      - {name: image-${i}, repository: ${reg.registry.host}/${repository}, tag: 1.0.0}`,
    );
  }
  const project = path.join(work, "project");
  mkdirSync(project);
  writeFileSync(
    path.join(project, "stack.yaml"),
    [
      "apiVersion: shoppe.coffea-casa.io/v1alpha1",
      "release: {name: bench, version: 0.1.0, description: bench}",
      "kubernetes: {versions: [{version: 1.35.4}]}",
      "components:",
      "  images:",
      "    displayName: Images",
      "    description: fifty pinned images",
      "    enabled: false",
      "    appVersion: 1.0.0",
      "    source: {github: example/images}",
      "    images:",
      ...images,
      "",
    ].join("\n"),
  );
  const shoppe = [
    ...["node", SHOPPE_BIN, "-C", project, "--json", "verify", "--retries", "0"],
    ...["--registry-auth", reg.authFile],
  ];
  const loop = refs
    .map(
      (r) =>
        `"${skopeo}" inspect --tls-verify=false --authfile "${reg.authFile}" docker://${r} >/dev/null`,
    )
    .join(" && ");
  const floor = ["node", REQUESTS_ONLY, reg.authFile, ...refs];
  const close = async () => {
    rmSync(work, { recursive: true, force: true });
    await reg.close();
  };
  const action = () => verify(createContext({ root: project }), { registryAuth: reg.authFile });
  return { project, shoppe, loop, floor, action, close };
}

const ready = missing ? undefined : await setup();
afterAll(() => ready?.close());
const use = () => ready as NonNullable<typeof ready>;

const cold = () => rmSync(path.join(use().project, "stack.lock"), { force: true });
const check = (problems: unknown[]) => {
  if (problems.length > 0) throw new Error(JSON.stringify(problems[0]));
};

(ready ? describe : describe.skip)(
  `verify ${IMAGES} images${missing ? ` (${missing})` : ""}`,
  () => {
    const options = { time: 5_000, iterations: 3, warmupIterations: 1 };
    bench(
      "shoppe verify CLI, cold (no lock)",
      async () => {
        cold();
        check(JSON.parse(await run([...use().shoppe, "--update-lock"])).problems);
      },
      options,
    );
    bench(
      "shoppe verify CLI, against stack.lock",
      async () => {
        check(JSON.parse(await run(use().shoppe)).problems);
      },
      options,
    );
    bench(
      "shoppe verify action in-process, cold",
      async () => {
        cold();
        check((await use().action()).problems);
      },
      options,
    );
    bench(
      "shoppe verify action in-process, against stack.lock",
      async () => {
        check((await use().action()).problems);
      },
      options,
    );
    bench(
      "floor: a Node process sending only the token request and the 50 HEADs",
      async () => {
        await run(use().floor);
      },
      options,
    );
    bench(
      "peer: skopeo inspect, sequentially, for each of the 50",
      async () => {
        await run(["sh", "-c", use().loop]);
      },
      options,
    );
  },
);
