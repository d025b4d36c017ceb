/**
 * Small container images built in code as OCI image layouts (the directory format skopeo
 * copies from): a one-file layer tarball (ustar, gzipped), its image config naming the
 * platform, the manifest, and for several platforms an image index over one manifest each.
 * The file's text decides the bytes, so rebuilding with other text gives a new digest (a
 * re-pushed tag). Pushed with the pinned skopeo through the project's Runner.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Runner } from "../../src/exec/runner.js";

/** A platform of an image. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What one built layout holds. */
export interface BuiltImage {
  dir: string;
  tag: string;
  /** Digest of the top manifest (the index for several platforms). */
  digest: string;
  mediaType: string;
  platforms: string[];
}

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** A ustar archive holding one regular file. */
export function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (at: number, len: number, text: string) => header.write(text, at, len, "ascii");
  const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, "0")}\0`;
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(content.length, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, "        "); // the checksum counts its own field as spaces
  field(156, 1, "0");
  field(257, 8, "ustar\u000000");
  let sum = 0;
  for (const b of header) sum += b;
  field(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** Writes a blob into the layout; returns its descriptor. */
async function blob(dir: string, mediaType: string, bytes: Buffer) {
  const digest = sha256(bytes);
  await writeFile(path.join(dir, "blobs", "sha256", digest.slice("sha256:".length)), bytes);
  return { mediaType, digest, size: bytes.length };
}

const platformText = (p: Platform) => [p.os, p.architecture, p.variant].filter(Boolean).join("/");

/** One platform's manifest (layer with `text`, config naming the platform). */
async function manifestFor(dir: string, text: string, p: Platform) {
  const tar = tarOneFile("hello.txt", Buffer.from(`${text} (${platformText(p)})\n`));
  const layer = await blob(dir, OCI_LAYER, gzipSync(tar, { level: 9 }));
  const config = await blob(
    dir,
    OCI_CONFIG,
    Buffer.from(
      JSON.stringify({
        architecture: p.architecture,
        os: p.os,
        ...(p.variant ? { variant: p.variant } : {}),
        config: { Cmd: ["/hello.txt"] },
        rootfs: { type: "layers", diff_ids: [sha256(tar)] },
      }),
    ),
  );
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] };
  return blob(dir, OCI_MANIFEST, Buffer.from(JSON.stringify(manifest)));
}

/**
 * Builds an image layout in `dir` tagged `tag`: one manifest for one platform, an index over
 * one manifest per platform for several. `text` goes into the layer.
 */
export async function buildImage(
  dir: string,
  tag: string,
  text: string,
  platforms: Platform[],
): Promise<BuiltImage> {
  await mkdir(path.join(dir, "blobs", "sha256"), { recursive: true });
  await writeFile(path.join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  const manifests = [];
  for (const p of platforms) manifests.push({ ...(await manifestFor(dir, text, p)), platform: p });
  const single = manifests.length === 1 ? manifests[0] : undefined;
  const top = single
    ? { mediaType: single.mediaType, digest: single.digest, size: single.size }
    : await blob(
        dir,
        OCI_INDEX,
        Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: manifests.map(({ platform, ...d }) => ({ ...d, platform })),
          }),
        ),
      );
  const ref = { ...top, annotations: { "org.opencontainers.image.ref.name": tag } };
  await writeFile(
    path.join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, manifests: [ref] }),
  );
  return {
    dir,
    tag,
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: platforms.map(platformText).sort(),
  };
}

/** Pushes a built layout to `host/repository:tag` with skopeo (credentials from `authFile`). */
export async function pushImage(
  runner: Runner,
  skopeo: string,
  image: BuiltImage,
  target: { host: string; repository: string; authFile?: string },
): Promise<void> {
  await runner.run(skopeo, [
    "--insecure-policy",
    "copy",
    "--all",
    "--quiet",
    "--dest-tls-verify=false",
    ...(target.authFile ? ["--dest-authfile", target.authFile] : []),
    `oci:${image.dir}:${image.tag}`,
    `docker://${target.host}/${target.repository}:${image.tag}`,
  ]);
}
