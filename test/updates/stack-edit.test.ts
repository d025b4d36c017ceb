/**
 * stack.yaml is edited in place through the parsed document: only the edited scalars change,
 * in their own quoting style, and every other byte (comments, key order, blank lines, flow
 * collections, folded text) stays; fixture in, committed file out, and the real stack.yaml.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputError } from "../../src/errors.js";
import { editStack } from "../../src/updates/stack-edit.js";
import { ROOT } from "../helpers/tools.js";

const FIXTURES = path.join(ROOT, "test/fixtures/updates");
const read = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const at = ["components", "coffea-casa"];

/** Line numbers (0-based) where `a` and `b` differ; both must have as many lines. */
function changedLines(a: string, b: string): number[] {
  const [x, y] = [a.split("\n"), b.split("\n")];
  expect(y.length).toBe(x.length);
  return x.flatMap((line, i) => (line === y[i] ? [] : [i]));
}

describe("editStack", () => {
  it("changes only the edited scalars, in their quoting style (fixture in, file out)", () => {
    const input = read("edit-input.yaml");
    const out = editStack(input, [
      { path: [...at, "chart", "version"], value: "2026.1008.3" },
      { path: [...at, "appVersion"], value: "2026.10.08.3" },
      { path: [...at, "images", 0, "tag"], value: "2026.10.08.3" },
      { path: [...at, "images", 1, "tag"], value: "4.4.1" },
      {
        path: [
          ...at,
          "values",
          "jupyterhub",
          "singleuser",
          "profileList",
          0,
          "kubespawner_override",
          "image",
        ],
        value: "hub.opensciencegrid.org/coffea-casa/cc-dask-alma9:2026.10.08.3",
      },
    ]);
    expect(out).toBe(read("edit-output.yaml"));
    expect(changedLines(input, out)).toEqual([8, 9, 11, 14, 25]);
  });

  it("keeps every other line of the real stack.yaml byte for byte", () => {
    const text = readFileSync(path.join(ROOT, "stack.yaml"), "utf8");
    const servicex = ["components", "servicex"];
    const out = editStack(text, [
      { path: [...servicex, "chart", "version"], value: "1.5.4" },
      { path: [...servicex, "appVersion"], value: "1.5.4" },
      { path: [...servicex, "images", 0, "tag"], value: "v1.5.4" },
      { path: ["components", "xcache", "appVersion"], value: "26" },
    ]);
    const lines = changedLines(text, out);
    expect(lines).toHaveLength(4);
    const edited = lines.map((i) => out.split("\n")[i]);
    expect(edited).toEqual([
      "      version: 1.5.4",
      "    appVersion: 1.5.4",
      "        tag: v1.5.4",
      '    appVersion: "26"',
    ]);
    expect(parse(out).components.xcache.appVersion).toBe("26");
  });

  it("quotes a new value a plain scalar would read as something else", () => {
    const out = editStack("a:\n  tag: v1\n  version: x # c\n", [
      { path: ["a", "tag"], value: "3.10" },
      { path: ["a", "version"], value: "yes: no" },
    ]);
    expect(out).toBe('a:\n  tag: "3.10"\n  version: "yes: no" # c\n');
  });

  it("leaves a file whose values already hold the edits unchanged", () => {
    const text = "a: 1.0.0 # same\n";
    expect(editStack(text, [{ path: ["a"], value: "1.0.0" }])).toBe(text);
  });

  it("refuses what it cannot edit safely: a block scalar, an alias or its anchor, a missing path", () => {
    const cases: [string, (string | number)[]][] = [
      ["a: |\n  text\n", ["a"]],
      ["x: &v 1.0.0\ny: *v\n", ["y"]],
      ["x: &v 1.0.0\ny: *v\n", ["x"]],
      ["a: 1\n", ["b", "c"]],
      ["a: [1, 2]\n", ["a"]],
    ];
    for (const [text, p] of cases) {
      const err = (() => {
        try {
          editStack(text, [{ path: p, value: "2" }]);
        } catch (e) {
          return e;
        }
      })();
      expect(err, text).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/^failed to edit stack\.yaml: .*; edit it by hand$/);
    }
  });
});
