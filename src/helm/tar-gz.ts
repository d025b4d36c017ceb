/**
 * Reads the files of a gzipped tar archive in memory, as helm writes chart archives (ustar
 * headers, PAX or GNU records for long names). Chart archives are small (tens to hundreds of
 * kilobytes), so reading one whole is cheaper than starting `helm show chart` for it.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

const gunzipAsync = promisify(gunzip);
const BLOCK = 512;

/** Regular files of an archive by path (`mlflow/Chart.yaml`), in archive order. */
export type ArchiveFiles = Map<string, Buffer>;

/** Reads every regular file of a .tgz held in memory; throws on a truncated or corrupt archive. */
export async function readTarGz(bytes: Buffer): Promise<ArchiveFiles> {
  return readTar(await gunzipAsync(bytes));
}

function text(b: Buffer, start: number, length: number): string {
  const field = b.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString("utf8");
}

function octal(b: Buffer, start: number, length: number): number {
  const raw = text(b, start, length).trim();
  const n = raw === "" ? 0 : Number.parseInt(raw, 8);
  if (!Number.isFinite(n) || n < 0) throw new Error(`bad size field "${raw}" in a tar header`);
  return n;
}

/** The `path` of a PAX extended header (`<len> path=<value>\n` records). */
function paxPath(body: Buffer): string | undefined {
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number.parseInt(body.subarray(at, space).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = body.subarray(space + 1, at + len - 1).toString("utf8");
    if (record.startsWith("path=")) return record.slice("path=".length);
    at += len;
  }
  return undefined;
}

/** Reads every regular file of an uncompressed tar archive. */
export function readTar(tar: Buffer): ArchiveFiles {
  const files: ArchiveFiles = new Map();
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const bodyStart = at + BLOCK;
    if (bodyStart + size > tar.length) throw new Error("the tar archive is truncated");
    const body = tar.subarray(bodyStart, bodyStart + size);
    at = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = paxPath(body) ?? longName;
      continue;
    }
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === "0" || type === "\0" || type === "7") files.set(name.replace(/^\.\//, ""), body);
  }
  return files;
}
