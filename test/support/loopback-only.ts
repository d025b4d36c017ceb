/**
 * Keeps a test file's connections on this machine: every TCP connection to a host other than
 * 127.0.0.1, ::1 or localhost fails at once, naming the host (whatever opens it: node:http,
 * fetch, octokit), so a test that would reach an upstream repository (an index's absolute
 * archive URL, say) fails instead of trying the network.
 */
import net from "node:net";
import { afterAll, beforeAll } from "vitest";

const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/** The host a Socket#connect call names (undefined for a Unix socket). */
function hostOf(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === "object" && first !== null) {
    const o = first as { host?: string; path?: string };
    return o.path ? undefined : (o.host ?? "localhost");
  }
  if (typeof first === "number" || /^\d+$/.test(String(first))) {
    return typeof args[1] === "string" ? args[1] : "localhost";
  }
  return undefined;
}

/** Installs the guard for the enclosing file or suite. */
export function loopbackOnly(): void {
  const original = net.Socket.prototype.connect;
  beforeAll(() => {
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const host = hostOf(args);
      if (host !== undefined && !LOOPBACK.has(host)) {
        const err = new Error(`test guard: refused a connection to ${host} (loopback only)`);
        process.nextTick(() => this.destroy(err));
        return this;
      }
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
  });
  afterAll(() => {
    net.Socket.prototype.connect = original;
  });
}
