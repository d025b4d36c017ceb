/**
 * The child process of harness.ts: runs `shoppe` in-process (the real `run(argv, io)` with
 * string sinks) for each request it is sent, and answers with the exit code and output, and
 * whatever reached the process's own stdout, stderr or warnings instead of the CLI's sinks.
 * The harness kills it when a request misses its deadline, so a hang never blocks the tests.
 */
import { runCli } from "../helpers/cli.js";
import type { ChildReply, ChildRequest } from "./harness.js";

let stray = "";
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: string | Uint8Array) => {
    stray += String(chunk);
    return true;
  }) as typeof stream.write;
}
// Node's own handler prints warnings; the CLI must not cause any (a library warning is output
// the CLI did not choose to print).
process.removeAllListeners("warning");
process.on("warning", (w) => {
  stray += `${w.name}: ${w.message}\n`;
});

function reply(message: ChildReply): void {
  process.send?.(message);
}

process.on("message", (request: ChildRequest) => {
  if (request.spin) {
    // The harness's self-test: a synchronous infinite loop, as a parser bug could be.
    for (;;) {}
  }
  stray = "";
  runCli(request.argv, request.cwd).then(
    // A warning is emitted on the next tick: let it arrive before answering.
    (result) => setImmediate(() => reply({ id: request.id, result: { ...result, stray } })),
    // run() catches everything itself: a rejection is a bug the property must report.
    (err: unknown) => reply({ id: request.id, rejected: String((err as Error)?.stack ?? err) }),
  );
});

reply({ ready: true });
