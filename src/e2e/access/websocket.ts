/**
 * A minimal WebSocket client (RFC 6455: the opening handshake, masked text frames out, text
 * frames in, close), enough for a live check to drive a Jupyter terminal as a notebook user
 * would. Connects through the same loopback lookup as `http.ts`.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";
import { connectionProblem, loopbackLookup } from "./http.js";

/** An open connection. */
export interface WebSocketLink {
  send(text: string): void;
  /** Every text message received so far arrives here, in order. */
  onMessage(listener: (text: string) => void): void;
  close(): void;
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const mask = randomBytes(4);
  const n = payload.length;
  const head =
    n < 126 ? Buffer.from([0x81, 0x80 | n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x81;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x81;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([head, mask, body]);
}

/** Splits complete frames off `buf`; returns text payloads and what is left. */
export function readFrames(buf: Buffer): { texts: string[]; rest: Buffer; closed: boolean } {
  const texts: string[] = [];
  let rest = buf;
  let closed = false;
  for (;;) {
    if (rest.length < 2) break;
    const op = (rest[0] as number) & 0x0f;
    let len = (rest[1] as number) & 0x7f;
    let off = 2;
    if (len === 126) {
      if (rest.length < 4) break;
      len = rest.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (rest.length < 10) break;
      len = Number(rest.readBigUInt64BE(2));
      off = 10;
    }
    if (rest.length < off + len) break;
    const payload = rest.subarray(off, off + len);
    if (op === 0x1 || op === 0x0) texts.push(payload.toString("utf8"));
    if (op === 0x8) closed = true;
    rest = rest.subarray(off + len);
  }
  return { texts, rest, closed };
}

/** Opens `url` (ws://). */
export function openWebSocket(
  url: string,
  o: {
    headers?: Record<string, string>;
    signal: AbortSignal;
    lookup: (h: string) => string | undefined;
  },
): Promise<WebSocketLink> {
  const u = new URL(url.replace(/^ws/, "http"));
  return new Promise((resolve, reject) => {
    const req = http.request(u, {
      headers: {
        ...o.headers,
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      },
      lookup: loopbackLookup(o.lookup),
      signal: o.signal,
      agent: false,
    });
    req.on("upgrade", (_res, socket: Socket, head: Buffer) => {
      let buf = head;
      const listeners: ((t: string) => void)[] = [];
      const queue: string[] = [];
      socket.on("data", (d: Buffer) => {
        const r = readFrames(Buffer.concat([buf, d]));
        buf = r.rest;
        for (const t of r.texts) {
          if (listeners.length === 0) queue.push(t);
          for (const l of listeners) l(t);
        }
        if (r.closed) socket.end();
      });
      o.signal.addEventListener("abort", () => socket.destroy(), { once: true });
      resolve({
        send: (text) => socket.write(frame(text)),
        onMessage: (l) => {
          listeners.push(l);
          for (const t of queue.splice(0)) l(t);
        },
        close: () => socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0])),
      });
    });
    req.on("response", (res) =>
      reject(
        new Error(
          `${u.host} refused the WebSocket upgrade of ${u.pathname}: HTTP ${res.statusCode}`,
        ),
      ),
    );
    req.on("error", (e) => reject(new Error(connectionProblem(e, u.host))));
    req.end();
  });
}
