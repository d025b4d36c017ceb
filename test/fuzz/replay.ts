/**
 * The world of one fuzz test file (a template sandbox and a CLI child, made before the tests
 * and removed after), and the replay of one input through its check, with the input in the
 * message of any failure.
 */
import { afterAll, beforeAll } from "vitest";
import { checkOutput, checkStack } from "./checks.js";
import { DEADLINE_MS, describeInput, type RegressionInput } from "./fuzz-params.js";
import { CliChild } from "./harness.js";
import { createTemplate, type Sandbox } from "./sandbox.js";

/** Checks `input` (a stack.yaml or an output case) in a copy of `template`. */
export async function replay(
  child: CliChild,
  template: Sandbox,
  input: RegressionInput,
): Promise<void> {
  try {
    if ("output" in input) await checkOutput(child, template, input.output);
    else {
      const bytes =
        "stack" in input ? Buffer.from(input.stack) : Buffer.from(input.stackBase64, "base64");
      await checkStack(child, template, bytes);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\n\nThe input, ${describeInput(input)}`, { cause: err });
  }
}

/** Sets up this file's world; the returned function replays an input in it. */
export function fuzzWorld(): (input: RegressionInput) => Promise<void> {
  const child = new CliChild(DEADLINE_MS);
  let template: (Sandbox & { remove(): Promise<void> }) | undefined;
  beforeAll(async () => {
    template = await createTemplate();
    await child.start();
  });
  afterAll(async () => {
    await child.dispose();
    await template?.remove();
  });
  return (input) => {
    if (!template) throw new Error("the fuzz world is not set up");
    return replay(child, template, input);
  };
}
