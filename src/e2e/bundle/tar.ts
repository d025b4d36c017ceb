/**
 * Writes a gzipped tar archive from files held in memory: ustar headers, a PAX `path` record
 * for names longer than ustar holds, regular files only (mode 0644), one fixed mtime, so the
 * same files give the same bytes. src/helm/tar-gz.ts reads it back; so does any tar.
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);
const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, mtime: number, type: "0" | "x"): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 100), 0, "utf8");
  h.write(octal(0o644, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(mtime, 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(type, 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

function padded(body: Buffer): Buffer[] {
  const rest = body.length % BLOCK;
  return rest === 0 ? [body] : [body, Buffer.alloc(BLOCK - rest)];
}

/** A PAX record `<length> path=<name>\n`, whose length counts its own digits. */
function paxPath(name: string): Buffer {
  const text = ` path=${name}\n`;
  const bytes = Buffer.byteLength(text);
  let len = bytes + 1;
  while (String(len).length + bytes !== len) len++;
  return Buffer.from(`${len}${text}`);
}

/** The archive of `files` (path → content), in the order given, gzipped. */
export async function tarGz(
  files: Iterable<[string, string | Buffer]>,
  mtime: Date,
): Promise<Buffer> {
  const seconds = Math.floor(mtime.getTime() / 1000);
  const parts: Buffer[] = [];
  for (const [name, content] of files) {
    const body = typeof content === "string" ? Buffer.from(content) : content;
    if (Buffer.byteLength(name) > 100) {
      const pax = paxPath(name);
      parts.push(header("PaxHeader", pax.length, seconds, "x"), ...padded(pax));
    }
    parts.push(header(name, body.length, seconds, "0"), ...padded(body));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipAsync(Buffer.concat(parts));
}
