/** Loopback ports for test servers: a free one to listen on, a closed one to fail against. */
import { allocatePorts } from "../../src/e2e/providers/common/ports.js";

/** A port on 127.0.0.1 that was free a moment ago (the providers' allocator). */
export async function freePort(): Promise<number> {
  const [port] = await allocatePorts(1);
  return port as number;
}

/** A loopback port nothing listens on: connecting to it is refused at once. */
export const closedPort: () => Promise<number> = freePort;

/** Resolves once `check` returns true, polling every 50 ms; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
