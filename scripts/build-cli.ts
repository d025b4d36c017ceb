/**
 * Builds the CLI users run (`npm run build`, also on `npm install`): esbuild bundles
 * src/cli/main.ts into dist/cli/main.js and the chunks of the commands it loads lazily (ESM,
 * code splitting), so a command loads a handful of files instead of some 400 modules, whose
 * resolution and compilation cost more than its work. The libraries of the quick commands
 * (commander, picocolors, zod, yaml, ajv, semver) go into the chunks; every other dependency
 * stays external, loaded from node_modules as its authors ship it by the commands that need it
 * (the Kubernetes client, octokit, execa …). The tests run the sources (vitest, tsx) instead.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { build, type Metafile } from "esbuild";

/** Dependencies bundled into the chunks: what `render`, `validate`, `verify` … load at start. */
export const BUNDLED = ["commander", "picocolors", "zod", "yaml", "ajv", "semver"];

/** Bundles the CLI of the project at `root` into `outdir`; returns esbuild's metafile. */
export async function buildCli(root: string, outdir: string): Promise<Metafile> {
  const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const result = await build({
    entryPoints: [path.join(root, "src", "cli", "main.ts")],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: Object.keys(pkg.dependencies).filter((d) => !BUNDLED.includes(d)),
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
    // The bundled CommonJS packages call require(), which an ES module does not have.
    banner: {
      js: 'import { createRequire as __shoppeRequire } from "node:module";\nconst require = __shoppeRequire(import.meta.url);',
    },
  });
  return result.metafile;
}

/**
 * Removes what earlier builds wrote to dist/: the bundle (dist/cli) and the per-module layout
 * tsc wrote before it (one entry per entry of src/). Nothing else: dist/charts holds the archives
 * `shoppe chart package` writes, and dist/ may hold files the build did not make.
 */
export async function clean(root: string): Promise<void> {
  const dist = path.join(root, "dist");
  const compiled = (await readdir(path.join(root, "src"))).flatMap((e) => {
    const base = e.replace(/\.ts$/, "");
    return e.endsWith(".ts") ? [`${base}.js`, `${base}.js.map`, `${base}.d.ts`] : [e];
  });
  await Promise.all(
    ["cli", ...compiled].map((e) => rm(path.join(dist, e), { recursive: true, force: true })),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, "..");
  await clean(root);
  const meta = await buildCli(root, path.join(root, "dist", "cli"));
  process.stderr.write(
    `built dist/cli: ${Object.keys(meta.outputs).filter((o) => o.endsWith(".js")).length} files\n`,
  );
}
