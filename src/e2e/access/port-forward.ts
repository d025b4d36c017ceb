/**
 * A port-forward to a pod, as `kubectl port-forward` makes one, through
 * `@kubernetes/client-node`'s PortForward: a TCP server on 127.0.0.1 (a free port) whose every
 * connection opens its own forwarding stream to the pod's port. Closed by `close()`.
 */
import net from "node:net";
import { type KubeConfig, PortForward } from "@kubernetes/client-node";

/** A listening forward. */
export interface Forward {
  port: number;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<free port> to `pod`'s `port` in `namespace`. */
export async function forwardPort(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  port: number,
): Promise<Forward> {
  const pf = new PortForward(kc);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    pf.portForward(namespace, pod, [port], socket, null, socket)
      .then((ws) => {
        const close = () => (typeof ws === "function" ? ws()?.close() : ws.close());
        socket.on("close", close);
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
