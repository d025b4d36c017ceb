/**
 * Free TCP ports on 127.0.0.1. Local providers listen on loopback only, never on 0.0.0.0, so
 * several clusters run side by side without touching the network.
 */
import { readFileSync } from "node:fs";
import net from "node:net";

/** The only address local providers bind and probe. */
export const LOOPBACK = "127.0.0.1";

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Where the kernel's own port choices (outgoing connections, bind to port 0) start. */
function ephemeralLow(): number {
  try {
    const first = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/)[0];
    const low = Number(first);
    return Number.isInteger(low) && low > 11000 ? low : 32768;
  } catch {
    return 32768;
  }
}

/** Lowest port handed out: above the well-known and commonly configured service ports. */
const FIRST_PORT = 10000;

/**
 * Returns `count` distinct ports free right now, chosen at random BELOW the kernel's
 * ephemeral range: there, no outgoing connection (the API server dialling etcd, a test's
 * HTTP client) can take a chosen port before its server binds it, which a port the kernel
 * picked (listen on 0) does not guarantee. All are held open until every one is chosen, so
 * they never collide with each other; another process may still bind one first, which the
 * supervisor reports as "address already in use".
 */
export async function allocatePorts(count: number): Promise<number[]> {
  const high = ephemeralLow();
  const servers: net.Server[] = [];
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries > count * 100)
        throw new Error(`no ${count} free ports on ${LOOPBACK} in ${FIRST_PORT}-${high - 1}`);
      const port = FIRST_PORT + Math.floor(Math.random() * (high - FIRST_PORT));
      const server = await listen(port).catch(() => undefined);
      if (server) servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** True when nothing holds `port` at 127.0.0.1: a bind succeeds. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));
    return true;
  } catch {
    return false;
  }
}
