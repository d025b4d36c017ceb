/**
 * Free TCP ports on 127.0.0.1. Local providers listen on loopback only, never on 0.0.0.0, so
 * several clusters run side by side without touching the network.
 */
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

/**
 * Returns `count` distinct ports the kernel reports free right now. All are held open until
 * every one is chosen, so they never collide with each other; another process may still take
 * one before it is used, which the supervisor reports as "address already in use".
 */
export async function allocatePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0));
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** True when nothing listens on `port` at 127.0.0.1 (a bind succeeds). */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listen(port));
    return true;
  } catch {
    return false;
  }
}
