/**
 * A counting proxy for the API server, on loopback: plain HTTP in, the API server's TLS with the
 * admin client certificate out, every request counted. A kubeconfig pointing at it lets any
 * client (ours, kubectl) be measured by the same counter.
 */
import { writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

/** A running proxy. */
export interface CountingProxy {
  /** Requests seen since the last reset, as "METHOD path?query". */
  requests: string[];
  /** A kubeconfig file that reaches the cluster through the proxy. */
  kubeconfig: string;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a proxy in front of the cluster of `kubeconfig`, writing its own kubeconfig to `file`. */
export async function countingProxy(kubeconfig: string, file: string): Promise<CountingProxy> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const target = new URL(kc.getCurrentCluster()?.server ?? "");
  const user = kc.getCurrentUser();
  const cluster = kc.getCurrentCluster();
  const pem = (b64?: string) => (b64 ? Buffer.from(b64, "base64") : undefined);
  const agent = new https.Agent({
    ca: pem(cluster?.caData),
    cert: pem(user?.certData),
    key: pem(user?.keyData),
    keepAlive: true,
  });
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = https.request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        // A watch sends its headers and then nothing until an event: pass them on now.
        res.flushHeaders();
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
    res.on("close", () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    file,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      // client-node refuses plain HTTP unless TLS checks are off (there is no TLS to check).
      clusters: [
        {
          name: "counted",
          cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true },
        },
      ],
      users: [{ name: "counted", user: {} }],
      contexts: [{ name: "counted", context: { cluster: "counted", user: "counted" } }],
      "current-context": "counted",
    }),
    { mode: 0o600 },
  );
  return {
    requests,
    kubeconfig: file,
    reset: () => requests.splice(0),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
        agent.destroy();
      }),
  };
}
