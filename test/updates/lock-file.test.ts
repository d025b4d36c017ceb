/**
 * stack.lock: its JSON Schema is generated from the zod model and committed fresh; the lock
 * committed for the default stack is exactly what `shoppe verify --offline --mirror
 * ../shared/upstream --update-lock` writes, with the chart digests the real published indexes
 * give and every image and kind node image marked unresolved (no registry is reachable here),
 * never invented.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { verify } from "../../src/actions/verify.js";
import { createContext } from "../../src/context.js";
import { InputError } from "../../src/errors.js";
import {
  LOCK_FILE,
  LOCK_SCHEMA_FILE,
  lockJsonSchemaText,
  readLock,
} from "../../src/updates/lock.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/tools.js";
import { tempDir } from "../support/temp.js";
import { describeWithUpstream, UPSTREAM_SOURCE } from "../support/upstream-mirror.js";

const committed = () => readFileSync(path.join(ROOT, LOCK_FILE), "utf8");

describe("schema/stack-lock.schema.json", () => {
  it("is up to date with src/updates/lock.ts (run `npm run schema`)", () => {
    expect(readFileSync(path.join(ROOT, LOCK_SCHEMA_FILE), "utf8")).toBe(lockJsonSchemaText());
  });

  it("accepts the committed stack.lock, which points editors at it", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(lockJsonSchemaText()));
    expect(validate(parse(committed())), ajv.errorsText(validate.errors)).toBe(true);
    expect(committed().split("\n")[0]).toBe(
      `# yaml-language-server: $schema=./${LOCK_SCHEMA_FILE}`,
    );
  });

  it("is read strictly: an unknown key is an error with its position", async () => {
    const dir = await tempDir("lock");
    try {
      const file = path.join(dir.path, "stack.lock");
      const { writeFile } = await import("node:fs/promises");
      await writeFile(file, committed().replace("kind: StackLock", "kind: StackLock\nextra: 1"));
      const err = await readLock(file, "stack.lock").catch((e) => e);
      expect(err.message).toMatch(/^failed to load stack\.lock: not a valid lock file/);
      expect(err.diagnostics[0].position).toMatchObject({ line: 9, col: 1 });
    } finally {
      await dir.remove();
    }
  });
});

describeWithUpstream("the committed stack.lock", [], () => {
  it("is what verify writes for the default stack from the mirrored indexes, offline", async () => {
    const dir = await tempDir("lock");
    try {
      const lock = path.join(dir.path, "stack.lock");
      const r = await verify(createContext({ root: ROOT }), {
        mirror: UPSTREAM_SOURCE,
        offline: true,
        lock,
        updateLock: true,
      });
      expect(r.written).toBe(true);
      expect(readFileSync(lock, "utf8")).toBe(committed());
      expect(r.problems.every((p) => p.kind === "unresolved")).toBe(true);
    } finally {
      await dir.remove();
    }
  });

  it("holds the digests the real indexes publish and no image digest it could not check", () => {
    const lock = parse(committed());
    expect(lock.components["coffea-casa"].chart.digest).toBe(
      "sha256:53b73968ad3baf9a3a4eafedd7260fb820e6fb8e5867b277a8bd1fd237382d3a",
    );
    expect(lock.components.servicex.chart.digest).toBe(
      "sha256:11a10c6e1573e63c0d08ec74e7cd96b4094629632dc4be03877dbecbab40c5b8",
    );
    const mlflowEntry = readFileSync(
      path.join(UPSTREAM_SOURCE, "charts/community-charts/index.yaml"),
      "utf8",
    )
      .split("\n  - ")
      .find((e) => /\n {4}version: 1\.11\.5\n/.test(`${e}\n`) && e.includes("name: mlflow"));
    const published = /\n {4}digest: ([0-9a-f]{64})/.exec(mlflowEntry ?? "")?.[1];
    expect(lock.components.mlflow.chart.digest).toBe(`sha256:${published}`);
    const images = Object.values(lock.components).flatMap(
      (c) => (c as { images: object[] }).images,
    );
    expect(images).toHaveLength(30);
    for (const i of images) {
      expect(i).toEqual({
        name: expect.any(String),
        image: expect.any(String),
        unresolved: "not checked: --offline sends no request",
      });
    }
    // Every kind node image stack.yaml pins, by its Kubernetes version, unresolved as well:
    // the corroborated digests of docs/stack.md are not confirmed by a registry here.
    const stack = parse(readFileSync(path.join(ROOT, "stack.yaml"), "utf8"));
    const pinned = stack.kubernetes.versions.filter(
      (k: { kindNodeImage?: string }) => k.kindNodeImage,
    );
    expect(pinned.length).toBeGreaterThan(0);
    expect(lock.kubernetes).toEqual(
      pinned.map((k: { version: string; kindNodeImage: string }) => ({
        version: k.version,
        image: `docker.io/${k.kindNodeImage}`,
        unresolved: "not checked: --offline sends no request",
      })),
    );
  });

  it("--update-lock writes again a lock a merge conflict broke, but never another file", async () => {
    const dir = await tempDir("lock");
    try {
      const run = (lock: string, updateLock: boolean) =>
        verify(createContext({ root: ROOT }), {
          mirror: UPSTREAM_SOURCE,
          offline: true,
          lock,
          updateLock,
        }).catch((e: Error) => e);
      const conflicted = path.join(dir.path, "stack.lock");
      const lines = committed().split("\n");
      lines.splice(10, 0, "<<<<<<< HEAD", "=======", ">>>>>>> bump");
      writeFileSync(conflicted, lines.join("\n"));
      const refused = await run(conflicted, false);
      expect((refused as Error).message).toMatch(
        /^failed to load .*stack\.lock: not a valid lock file; write it again with shoppe verify --update-lock$/,
      );
      const r = await run(conflicted, true);
      expect(r).toMatchObject({ written: true });
      expect(readFileSync(conflicted, "utf8")).toBe(committed());
      // A file that is no lock of ours (a mistaken --lock) is not overwritten.
      const notes = path.join(dir.path, "notes.md");
      writeFileSync(notes, "# notes: keep\n");
      const kept = await run(notes, true);
      expect(kept).toBeInstanceOf(InputError);
      expect((kept as Error).message).toContain(
        "it does not begin with the header shoppe verify writes, so it is not replaced",
      );
      expect(readFileSync(notes, "utf8")).toBe("# notes: keep\n");
    } finally {
      await dir.remove();
    }
  });

  it("never writes through a symlinked lock, nor blocks on a FIFO or writes over a directory", async () => {
    const dir = await tempDir("lock");
    try {
      const run = (lock: string) =>
        verify(createContext({ root: ROOT }), {
          mirror: UPSTREAM_SOURCE,
          offline: true,
          lock,
          updateLock: true,
        }).catch((e: Error) => e);
      const target = path.join(dir.path, "elsewhere.lock");
      const old = committed().replace(/sha256:[0-9a-f]{64}/, `sha256:${"0".repeat(64)}`);
      writeFileSync(target, old);
      const link = path.join(dir.path, "stack.lock");
      symlinkSync(target, link);
      const viaLink = await run(link);
      expect(viaLink).toBeInstanceOf(InputError);
      expect((viaLink as Error).message).toBe(
        `failed to write ${link}: it is a symbolic link to ${target}, which a rewrite would replace by a copy; name the file it points to instead`,
      );
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(target, "utf8")).toBe(old);
      const dangling = path.join(dir.path, "dangling.lock");
      symlinkSync(path.join(dir.path, "nowhere"), dangling);
      expect(await run(dangling)).toBeInstanceOf(InputError);
      expect(existsSync(path.join(dir.path, "nowhere"))).toBe(false);
      const fifo = path.join(dir.path, "fifo.lock");
      execFileSync("mkfifo", [fifo]);
      expect(((await run(fifo)) as Error).message).toContain("it is a named pipe (FIFO)");
      mkdirSync(path.join(dir.path, "dir.lock"));
      expect(((await run(path.join(dir.path, "dir.lock"))) as Error).message).toContain(
        "it is a directory",
      );
    } finally {
      await dir.remove();
    }
  }, 20_000);

  it("passes verify offline against the mirror with nothing but unresolved images", async () => {
    const r = await runCli(
      ["--json", "verify", "--offline", "--mirror", UPSTREAM_SOURCE, "--allow-unresolved"],
      ROOT,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.compared).toBe(true);
    expect(out.written).toBe(false);
    expect(out.problems.filter((p: { kind: string }) => p.kind !== "unresolved")).toEqual([]);
  });
});
