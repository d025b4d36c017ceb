/**
 * xcache-read (live): a file read through the cache over the XRootD protocol (the real
 * `xrdcp`, as a notebook's client does) has the origin's bytes, and a second read is served
 * from the cache: the cache's `<file>.cinfo` (read with XRootD's own `xrdpfc_print`) counts
 * both accesses and the second fetched nothing from the origin. The origin and the file come
 * from the target (the service tier's test origin); a cluster without one is skipped, saying so.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Runner } from "../../exec/runner.js";
import { type Check, type CheckOutcome, type CheckTarget, servicesOf } from "./check.js";
import { reachWired } from "./wired.js";

/** What `xrdpfc_print` says of a cached file. */
export interface CacheInfo {
  accesses: number;
  /** Every block of the file is in the cache. */
  complete: boolean;
  /** kB fetched from the origin by the last access. */
  lastMissedKb: number;
}

/**
 * Parses `xrdpfc_print -v` (XRootD 5): `N_acc_total=<n>`, `state complete`, and the access
 * records table, whose last row's `B_miss[kB]` is what the last access fetched from the origin.
 */
export function parseCinfo(text: string): CacheInfo {
  const accesses = Number(/N_acc_total=(\d+)/.exec(text)?.[1] ?? 0);
  const complete = /\bstate complete\b/.test(text);
  const rows = text
    .split("\n")
    .filter((l) => /^\d+\s+\d{6}:\d{6}\s/.test(l))
    .map((l) => l.trim().split(/\s+/));
  const last = rows.at(-1);
  return { accesses, complete, lastMissedKb: Number(last?.[7] ?? 0) };
}

async function xrdcp(
  runner: Runner,
  url: string,
  out: string,
  signal: AbortSignal,
): Promise<Buffer> {
  try {
    await runner.run("xrdcp", ["--nopbar", "-f", url, out], {
      timeoutMs: 60_000,
      signal,
      env: { XRD_REQUESTTIMEOUT: "20", XRD_CONNECTIONRETRY: "1", XRD_STREAMTIMEOUT: "20" },
    });
  } catch (err) {
    const tail = ((err as { output?: string }).output ?? String(err))
      .trim()
      .split("\n")
      .slice(-2)
      .join(" ");
    throw new Error(`xrdcp ${url} failed: ${tail}`);
  }
  return readFile(out);
}

async function cinfoOf(runner: Runner, file: string, signal: AbortSignal): Promise<CacheInfo> {
  const r = await runner.run("xrdpfc_print", ["-v", file], { timeoutMs: 10_000, signal });
  return parseCinfo(r.stdout);
}

/** How long the first read's blocks may take to show in the .cinfo (see run). */
const CINFO_WAIT_MS = 15_000;

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const p = await servicesOf(t).params("xcache", t.signal);
  if (!p.origin || !p.file) {
    return {
      status: "skipped",
      reason:
        "no origin file to read through the cache (the service tier provides one; a cluster needs an origin URL and a file)",
      evidence: [],
    };
  }
  if (!t.runner) throw new Error("no runner for xrdcp");
  const cache = await reachWired(t, "XCACHE_URL");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "shoppe-xcache-check-"));
  const evidence = [
    `${cache.key}=${cache.value} reached through ${servicesOf(t).via} at ${cache.reached.host}:${cache.reached.port}`,
  ];
  try {
    const direct = await xrdcp(
      t.runner,
      `${p.origin}/${p.file}`,
      path.join(tmp, "origin"),
      t.signal,
    );
    evidence.push(
      `origin ${p.origin}/${p.file}: ${direct.length} bytes, sha256 ${sha(direct).slice(0, 16)}…`,
    );
    const url = `root://${cache.reached.host}:${cache.reached.port}//${p.origin}/${p.file}`;
    // The origin answered: a read through the cache that cannot connect is the cache's fault.
    const first = await xrdcp(t.runner, url, path.join(tmp, "first"), t.signal).catch(
      (err: Error) => {
        throw new Error(
          `the read through the cache (${cache.key}=${cache.value}) failed: ${err.message}; is XCache running?`,
        );
      },
    );
    if (sha(first) !== sha(direct)) {
      return {
        status: "failed",
        reason: `the cache returned other bytes than the origin for ${p.file}`,
        evidence,
      };
    }
    evidence.push(`first read through the cache: the origin's ${first.length} bytes`);
    if (!p.cacheData) {
      evidence.push("second read not proven from the cache: its files are not reachable from here");
      return { status: "passed", evidence };
    }
    const cinfo = path.join(p.cacheData, `${p.file}.cinfo`);
    const exists = await stat(cinfo).then(
      () => true,
      () => false,
    );
    if (!exists)
      return {
        status: "failed",
        reason: `the cache kept no ${p.file}.cinfo: it did not cache the file`,
        evidence,
      };
    // The cache writes blocks and the .cinfo that records them from its own threads after the
    // client's read returns, so a busy machine sees them late: wait a while, not forever.
    let before = await cinfoOf(t.runner, cinfo, t.signal);
    for (const until = Date.now() + CINFO_WAIT_MS; !before.complete && Date.now() < until; ) {
      await sleep(250, undefined, { signal: t.signal });
      before = await cinfoOf(t.runner, cinfo, t.signal);
    }
    evidence.push(
      `${p.file}.cinfo after the first read: ${before.accesses} access(es), ${before.complete ? "every block cached" : "blocks missing"}`,
    );
    if (!before.complete) {
      return {
        status: "failed",
        reason: `the cache did not keep all of ${p.file} after reading it`,
        evidence,
      };
    }
    const second = await xrdcp(t.runner, url, path.join(tmp, "second"), t.signal);
    if (sha(second) !== sha(direct)) {
      return {
        status: "failed",
        reason: "the second read through the cache returned other bytes",
        evidence,
      };
    }
    // The cache writes an access record when the file is detached, shortly after the close.
    let info = await cinfoOf(t.runner, cinfo, t.signal);
    for (
      const until = Date.now() + CINFO_WAIT_MS;
      info.accesses < before.accesses + 1 && Date.now() < until;
    ) {
      await sleep(250, undefined, { signal: t.signal });
      info = await cinfoOf(t.runner, cinfo, t.signal);
    }
    evidence.push(
      `${p.file}.cinfo after the second read: ${info.accesses} accesses, ${info.complete ? "complete" : "incomplete"}, last access fetched ${info.lastMissedKb} kB from the origin`,
    );
    if (info.accesses < before.accesses + 1 || info.lastMissedKb > 0) {
      return {
        status: "failed",
        reason:
          "the second read was not served from the cache: its .cinfo records no new access without origin traffic",
        evidence,
      };
    }
    return { status: "passed", evidence };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** See the module comment. */
export const xcacheRead: Check = {
  name: "xcache-read",
  component: "xcache",
  description:
    "a file read through the cache over XRootD has the origin's bytes; the second read comes from the cache",
  needs: ["live-service"],
  run,
};
