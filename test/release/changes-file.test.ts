/**
 * release-changes.yaml: its committed JSON Schema is fresh, and render puts the entries of
 * stack.yaml's version into the umbrella's artifacthub.io/changes (and no others).
 */

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { render } from "../../src/actions/render.js";
import { InputError } from "../../src/errors.js";
import {
  CHANGES_FILE,
  CHANGES_SCHEMA_FILE,
  changesFileText,
  releaseChangesJsonSchemaText,
} from "../../src/release/changes-file.js";
import { ROOT } from "../helpers/tools.js";
import { createReleaseProject, type ReleaseProject } from "../support/release-project.js";

describe("release-changes.yaml", () => {
  let project: ReleaseProject;
  beforeAll(async () => {
    project = await createReleaseProject();
  }, 60_000);
  afterAll(async () => project?.close());

  it("has a fresh committed schema (run `npm run schema`)", () => {
    expect(readFileSync(path.join(ROOT, CHANGES_SCHEMA_FILE), "utf8")).toBe(
      releaseChangesJsonSchemaText(),
    );
  });

  const annotation = async () => {
    const chart = parse(
      await readFile(path.join(project.root, "charts/coffea-shoppe/Chart.yaml"), "utf8"),
    );
    return chart.annotations["artifacthub.io/changes"];
  };

  it("goes into the chart for stack.yaml's version only", async () => {
    const file = path.join(project.root, CHANGES_FILE);
    const changes = [
      {
        kind: "changed" as const,
        description: "XCache 0.1.0 → 0.2.0",
        links: [
          { name: "XCache", url: "https://github.com/opensciencegrid/docker-xcache/releases" },
        ],
      },
    ];
    await writeFile(file, changesFileText("0.1.0", changes));
    const r = await render(project.context(), { check: true });
    expect(r.changed).toBe(true);
    await render(project.context(), {});
    expect(parse(await annotation())).toEqual(changes);
    await writeFile(file, changesFileText("0.0.9", changes));
    await render(project.context(), {});
    expect(await annotation()).toBeUndefined();
  });

  it("is checked: a bad entry is an input error with its position", async () => {
    await writeFile(
      path.join(project.root, CHANGES_FILE),
      "version: 0.1.0\nchanges:\n  - kind: improved\n    description: x\n",
    );
    const err = await render(project.context(), {}).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`failed to read ${CHANGES_FILE}: not a valid release changes file`);
    expect(err.diagnostics[0].position).toMatchObject({ file: CHANGES_FILE, line: 3 });
  });

  it("a FIFO in its place is refused at once, not waited on", async () => {
    const file = path.join(project.root, CHANGES_FILE);
    await rm(file, { force: true });
    execFileSync("mkfifo", [file]);
    try {
      const err = await render(project.context(), {}).catch((e) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/^failed to read release-changes\.yaml: .*named pipe/);
    } finally {
      await rm(file, { force: true });
    }
  }, 10_000);
});
