/**
 * The two kinds of fuzz case. A stack case: whatever stack.yaml holds, validate, render --check
 * and render are sane (invariants.ts), change nothing but a successful render's chart
 * directory, agree with each other, and a render that succeeded wrote a chart helm can load and
 * is up to date. An output case: render -o and render --check -o at a generated target get the
 * target's exit codes and write only what render owns.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { CliRun } from "../helpers/cli.js";
import type { CliChild } from "./harness.js";
import {
  expectCode,
  expectLoadableChart,
  expectOnlyOwnedWrites,
  expectSane,
  expectUnchanged,
  fail,
  markerListed,
  show,
} from "./invariants.js";
import { type OutputCase, prepare } from "./output-targets.js";
import { copySandbox, type Sandbox, sandboxKey, snapshot } from "./sandbox.js";

/**
 * stack.yaml holding `bytes`, in a copy of `template`: validate, render --check and render are
 * sane, change nothing but a successful render's chart directory, agree with each other, and a
 * render that succeeded wrote a chart helm can load and is up to date for the check that follows.
 */
export async function checkStack(
  child: CliChild,
  template: Sandbox,
  bytes: Uint8Array,
): Promise<void> {
  const sandbox = await copySandbox(template);
  const cwd = sandbox.project;
  try {
    await writeFile(path.join(cwd, "stack.yaml"), bytes);
    const start = await snapshot(sandbox);
    const validate = await child.run(["validate"], cwd);
    expectSane("validate", validate);
    expectUnchanged("validate", start, await snapshot(sandbox));
    const check = await child.run(["render", "--check"], cwd);
    expectSane("render --check", check);
    expectUnchanged("render --check", start, await snapshot(sandbox));
    const render = await child.run(["render", "--json"], cwd);
    expectSane("render", render);
    const after = await snapshot(sandbox);
    if (render.code !== 0) expectUnchanged("a render that failed", start, after);
    else {
      const chartDir: string = JSON.parse(render.stdout).chartDir;
      const key = await sandboxKey(sandbox, chartDir);
      const listed = await markerListed(path.join(template.dir, key));
      expectOnlyOwnedWrites("render", start, after, key, listed);
      await expectLoadableChart(chartDir, JSON.parse(render.stdout).files);
      const again = await child.run(["render", "--check"], cwd);
      expectSane("render --check after render", again);
      expectCode("render --check after render", again, 0);
      expectUnchanged("render --check after render", after, await snapshot(sandbox));
    }
    expectAgreement(validate, check, render);
  } finally {
    await sandbox.remove();
  }
}

/** validate refuses exactly what render refuses (the output directory is render's own). */
function expectAgreement(validate: CliRun, check: CliRun, render: CliRun): void {
  const valid = validate.code === 0;
  if (valid !== (render.code === 0)) {
    fail(`validate and render disagree: ${show("validate", validate)}\n${show("render", render)}`);
  }
  if (valid !== (check.code !== 2)) {
    fail(
      `validate and render --check disagree: ${show("validate", validate)}\n${show("render --check", check)}`,
    );
  }
}

/**
 * One output case in a copy of `template`: `render --check -o` changes nothing, `render -o`
 * changes nothing when it refuses and only what it owns when it writes, both with the exit
 * codes the target expects; a render that wrote is up to date for the check that follows.
 */
export async function checkOutput(
  child: CliChild,
  template: Sandbox,
  c: OutputCase,
): Promise<void> {
  const sandbox = await copySandbox(template);
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const prepared = await prepare(c, sandbox);
    cleanup = prepared.cleanup;
    const { argv, cwd, expect } = prepared;
    const listed = await markerListed(prepared.outDir);
    const start = await snapshot(sandbox);
    const check = await child.run(argv(true), cwd);
    expectSane("render --check", check);
    expectCode("render --check", check, expect[1]);
    expectUnchanged("render --check", start, await snapshot(sandbox));
    const render = await child.run(argv(false), cwd);
    expectSane("render", render);
    expectCode("render", render, expect[0]);
    const after = await snapshot(sandbox);
    if (render.code !== 0) {
      expectUnchanged("a render that failed", start, after);
      return;
    }
    const key = await sandboxKey(sandbox, prepared.outDir);
    expectOnlyOwnedWrites("render", start, after, key, listed);
    const again = await child.run(argv(true), cwd);
    expectSane("render --check after render", again);
    expectCode("render --check after render", again, 0);
    expectUnchanged("render --check after render", after, await snapshot(sandbox));
  } finally {
    await cleanup?.();
    await sandbox.remove();
  }
}
