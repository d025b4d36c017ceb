/**
 * wiring-answers (integration, live): every endpoint of the wiring ConfigMap that names an
 * in-cluster address resolves to a served Service port and answers its protocol's first
 * step: an HTTP response for `http://`, a TCP connection for `root://` and `grpc://`. A bare
 * port (XCACHE_PORT) or a host without a scheme is noted, not checked on its own.
 */
import net from "node:net";
import { httpCall } from "../access/http.js";
import {
  type Check,
  type CheckOutcome,
  type CheckTarget,
  INTEGRATION,
  servicesOf,
} from "./check.js";
import { serviceAddress } from "./endpoints-ready.js";
import { reachWired } from "./wired.js";

function connect(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, signal });
    s.once("connect", () => {
      s.destroy();
      resolve();
    });
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(e.code === "ECONNREFUSED" ? `nothing listens at ${host}:${port}` : e.message),
      ),
    );
  });
}

async function answers(t: CheckTarget, key: string): Promise<string> {
  const e = await reachWired(t, key);
  const where = `${e.reached.host}:${e.reached.port}`;
  if (e.value.startsWith("http://") || e.value.startsWith("https://")) {
    const a = await httpCall(e.url, { signal: t.signal, lookup: (h) => servicesOf(t).lookup(h) });
    return `HTTP ${a.status} from ${where}`;
  }
  await connect(e.reached.host, e.reached.port, t.signal);
  return `TCP connection to ${where}`;
}

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const wiring = await servicesOf(t).wiring(t.signal);
  const evidence: string[] = [];
  const problems: string[] = [];
  let checked = 0;
  for (const key of Object.keys(wiring).sort()) {
    const value = wiring[key] as string;
    const a = serviceAddress(value, t.namespace);
    if (typeof a === "string" || !/^[a-z][a-z0-9+.-]*:\/\//.test(value)) {
      evidence.push(
        `${key}=${value}: ${typeof a === "string" ? a : "a host without a scheme"}, not checked alone`,
      );
      continue;
    }
    checked++;
    try {
      evidence.push(`${key}=${value}: ${await answers(t, key)}`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      problems.push(`${key}: ${why}`);
      evidence.push(`${key}=${value}: ${why}`);
    }
  }
  if (checked === 0)
    return { status: "skipped", reason: "the wiring names no in-cluster address", evidence };
  if (problems.length > 0) return { status: "failed", reason: problems.join("; "), evidence };
  return { status: "passed", evidence };
}

/** See the module comment. */
export const wiringAnswers: Check = {
  name: "wiring-answers",
  component: INTEGRATION,
  description: "every address in the endpoints ConfigMap resolves to a served port and answers",
  needs: ["live-service"],
  run,
};
