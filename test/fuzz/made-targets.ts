/**
 * The entries an output case makes before `render -o` runs at (or below) them: missing and
 * empty directories, charts rendered before (clean, with `chart deps` output, with stale or
 * stranger files, a listed file replaced by a FIFO, a link or a hard link, a linked
 * subdirectory), corrupt markers, project-like directories, a file, a FIFO, a socket, symbolic
 * links of every kind, and paths below them. Each knows the exit codes of `render` and
 * `render --check` there (undefined: any sane code).
 */
import { execFileSync } from "node:child_process";
import { link, mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { render } from "../../src/actions/render.js";
import { RENDER_OWNER } from "../../src/chart/writer.js";
import { createContext } from "../../src/context.js";
import { RENDERED, type Sandbox } from "./sandbox.js";

/** Exit codes of render and of render --check. */
export type Expect = [render: number | undefined, check: number | undefined];
/** Corrupt markers: bytes, or (as a string starting with "!") an entry of another type. */
const BAD_MARKERS: (string | Buffer)[] = [
  "",
  "{}",
  "[]",
  "null",
  '{"generator":"shoppe render","files":["../../stack.yaml"]}',
  '{"generator":"shoppe render","files":["/etc/passwd"]}',
  '{"generator":"shoppe render","files":["a/./b"]}',
  '{"generator":"helm","files":[]}',
  '{"generator":"shoppe render","files":"Chart.yaml"}',
  '{"generator":"shoppe render","files":[1]}',
  '\ufeff{"generator":"shoppe render","files":[]}',
  Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]),
  Buffer.alloc(2 << 20, 0x20),
  "!dir",
  "!link",
  "!fifo",
];

type Setup = (p: string, s: Sandbox, variant: number) => Promise<(() => Promise<void>) | undefined>;

/** What makes a made target, where -o points relative to it, and the exit codes. */
export interface Made {
  setup: Setup;
  below?: string;
  expect: Expect;
}

const none: Setup = async () => undefined;
const fifo = (p: string) => execFileSync("mkfifo", [p]);
/** A chart rendered at `p` (its dependencies' relative paths depend on where it is). */
const rendered: Setup = async (p, s) => {
  await render(createContext({ root: s.project, env: {} }), { output: p });
  return undefined;
};
/** `rendered`, then `more` on the chart. */
const renderedThen =
  (more: (p: string, s: Sandbox, variant: number) => Promise<unknown> | unknown): Setup =>
  async (p, s, v) => {
    await rendered(p, s, v);
    await more(p, s, v);
    return undefined;
  };
const linkTo =
  (target: (p: string, s: Sandbox) => Promise<string> | string): Setup =>
  async (p, s) => {
    await symlink(await target(p, s), p);
    return undefined;
  };

async function badMarker(p: string, s: Sandbox, variant: number): Promise<void> {
  const marker = path.join(p, RENDER_OWNER.marker);
  const bad = BAD_MARKERS[variant % BAD_MARKERS.length] as string | Buffer;
  const good = await readFile(marker);
  await rm(marker);
  if (bad === "!dir") await mkdir(marker);
  else if (bad === "!fifo") fifo(marker);
  else if (bad === "!link") {
    await writeFile(path.join(s.outside, "marker.json"), good);
    await symlink(path.join(s.outside, "marker.json"), marker);
  } else await writeFile(marker, bad);
}

async function addMarkerListing(p: string, extra: string): Promise<void> {
  const marker = path.join(p, RENDER_OWNER.marker);
  const doc = JSON.parse(await readFile(marker, "utf8"));
  doc.files = [...doc.files, extra].sort();
  await writeFile(marker, `${JSON.stringify(doc, null, 2)}\n`);
}

/** Every kind of made target, by name. */
export const MADE: Record<string, Made> = {
  missing: { setup: none, expect: [0, 1] },
  "missing-nested": { setup: none, below: "a/b", expect: [0, 1] },
  "empty-dir": { setup: async (p) => void (await mkdir(p)), expect: [0, 1] },
  rendered: { setup: rendered, expect: [0, 0] },
  "rendered-preserved": {
    setup: renderedThen(async (p) => {
      await writeFile(path.join(p, "Chart.lock"), "dependencies: []\n");
      await mkdir(path.join(p, "charts"));
      await writeFile(path.join(p, "charts/dep-1.0.0.tgz"), Buffer.from([0x1f, 0x8b, 0, 1]));
      await writeFile(path.join(p, ".shoppe-deps.json"), "{}\n");
    }),
    expect: [0, 0],
  },
  "rendered-stale": {
    setup: renderedThen(async (p) => {
      await writeFile(path.join(p, "templates/old.yaml"), "# an earlier render's\n");
      await addMarkerListing(p, "templates/old.yaml");
    }),
    expect: [0, 1],
  },
  "rendered-stranger": {
    setup: renderedThen((p, _, v) =>
      writeFile(
        path.join(p, ["notes.txt", "templates/extra.yaml", ".keep"][v % 3] as string),
        "mine\n",
      ),
    ),
    expect: [2, 1],
  },
  "rendered-listed-fifo": {
    setup: renderedThen(async (p) => {
      await rm(path.join(p, "README.md"));
      fifo(path.join(p, "README.md"));
    }),
    expect: [2, 2],
  },
  "rendered-listed-link-out": {
    setup: renderedThen(async (p, s) => {
      await rm(path.join(p, "README.md"));
      await symlink(path.join(s.outside, "kept/data.txt"), path.join(p, "README.md"));
    }),
    expect: [2, 2],
  },
  "rendered-listed-dir": {
    setup: renderedThen(async (p) => {
      await rm(path.join(p, "README.md"));
      await mkdir(path.join(p, "README.md"));
      await writeFile(path.join(p, "README.md/x"), "mine\n");
    }),
    expect: [2, 1],
  },
  "rendered-listed-hardlink": {
    // Render replaces files and never writes into one: the other name keeps its bytes.
    setup: renderedThen(async (p, s) => {
      await rm(path.join(p, "README.md"));
      await link(path.join(s.outside, "kept/data.txt"), path.join(p, "README.md"));
    }),
    expect: [0, 1],
  },
  "rendered-linked-subdir": {
    setup: renderedThen(async (p, s) => {
      const moved = path.join(s.outside, `templates-${path.basename(p).length}`);
      await rename(path.join(p, "templates"), moved);
      await symlink(moved, path.join(p, "templates"));
    }),
    expect: [2, 2],
  },
  "corrupt-marker": { setup: renderedThen(badMarker), expect: [2, 2] },
  "stranger-dir": {
    setup: async (p, _, v) => {
      await mkdir(path.join(p, "sub"), { recursive: true });
      if (v % 2) await writeFile(path.join(p, "notes.txt"), "mine\n");
      return undefined;
    },
    expect: [2, 2],
  },
  "project-like": {
    setup: async (p, _, v) => {
      await mkdir(p);
      const entry = ["stack.yaml", ".git", "package.json"][v % 3] as string;
      if (entry === ".git") await mkdir(path.join(p, entry));
      else await writeFile(path.join(p, entry), "{}\n");
      await writeFile(
        path.join(p, RENDER_OWNER.marker),
        '{"generator":"shoppe render","files":[]}\n',
      );
      return undefined;
    },
    expect: [2, 2],
  },
  file: { setup: async (p) => void (await writeFile(p, "mine\n")), expect: [2, 2] },
  fifo: { setup: async (p) => void fifo(p), expect: [2, 2] },
  socket: {
    setup: async (p) => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(p, resolve));
      return () => new Promise<void>((resolve) => server.close(() => resolve()));
    },
    expect: [2, 2],
  },
  "link-dir": {
    setup: linkTo(async (p, s) => {
      const dir = path.join(s.outside, `empty-${path.basename(p).length}`);
      await mkdir(dir, { recursive: true });
      return dir;
    }),
    expect: [2, 2],
  },
  "link-rendered": { setup: linkTo((_, s) => path.join(s.project, RENDERED)), expect: [2, 2] },
  "link-file": { setup: linkTo((_, s) => path.join(s.project, "stack.yaml")), expect: [2, 2] },
  "link-dangling": { setup: linkTo(() => "nowhere"), expect: [2, 2] },
  "link-loop": { setup: linkTo((p) => path.basename(p)), expect: [2, 2] },
  "link-root": { setup: linkTo((_, s) => s.project), expect: [2, 2] },
  "below-file": {
    setup: async (p) => void (await writeFile(p, "mine\n")),
    below: "sub",
    expect: [2, 2],
  },
  "below-fifo": { setup: async (p) => void fifo(p), below: "sub", expect: [2, 2] },
  "below-link-dir": {
    setup: linkTo(async (_, s) => {
      await mkdir(path.join(s.outside, "linked"), { recursive: true });
      return path.join(s.outside, "linked");
    }),
    below: "sub",
    expect: [0, 1],
  },
  "below-rendered": { setup: rendered, below: "sub", expect: [0, 1] },
  "below-link-dangling": { setup: linkTo(() => "nowhere"), below: "sub", expect: [2, 2] },
  "below-link-loop": { setup: linkTo((p) => path.basename(p)), below: "a/b", expect: [2, 2] },
};
