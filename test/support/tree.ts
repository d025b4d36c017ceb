/**
 * A byte-level snapshot of a directory tree, for "nothing changed" assertions: every entry
 * (dot files and `.git` included) with its type, a file's sha256 and mode, a link's target.
 * Reads nothing that could block: FIFOs, sockets and devices are recorded by type only.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";

/** Entry path (relative, "/"-separated) → description; equal snapshots mean equal trees. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(dir, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, r);
      const st = await lstat(full);
      if (st.isDirectory()) {
        out[`${r}/`] = `dir ${(st.mode & 0o7777).toString(8)}`;
        await walk(r);
      } else if (st.isSymbolicLink()) {
        out[r] = `link ${await readlink(full)}`;
      } else if (st.isFile()) {
        const hash = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
        out[r] = `file ${(st.mode & 0o7777).toString(8)} ${hash}`;
      } else {
        out[r] = st.isFIFO() ? "fifo" : "special";
      }
    }
  };
  await walk("");
  return out;
}
