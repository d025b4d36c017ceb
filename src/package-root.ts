/**
 * Where shoppe's own files are (templates/, charts/, package.json): the nearest directory above
 * this module holding a package.json. Found rather than counted in `..` steps, because the same
 * code runs from src/ (tests, tsx) and from the bundle's chunks under dist/cli/, at other depths.
 */
import { existsSync } from "node:fs";
import path from "node:path";

let found: string | undefined;

/** The package's root directory. */
export function packageRoot(): string {
  if (found) return found;
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${import.meta.dirname}`);
    dir = parent;
  }
  found = dir;
  return dir;
}
