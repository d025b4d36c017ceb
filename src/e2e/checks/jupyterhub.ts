/**
 * jupyterhub-spawn (live), through the proxy at JUPYTERHUB_URL as a user meets it: the hub's
 * REST API answers with its version (the pinned one, when the target knows it), a test user's
 * server starts, and the wiring reaches the user: a terminal in that server (the Jupyter
 * terminals API, as a notebook user opens one) shows an environment carrying every variable
 * of the endpoints ConfigMap (but the hub's own address) with the rendered value. The user is deleted afterwards.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { httpCall, jsonOf } from "../access/http.js";
import { openWebSocket } from "../access/websocket.js";
import { type Check, type CheckOutcome, type CheckTarget, servicesOf } from "./check.js";
import { reachWired } from "./wired.js";

/** The environment a terminal prints between two markers. */
export function parseEnv(out: string): Record<string, string> | undefined {
  const m = /__SHOPPE_1__\r?\n([\s\S]*?)__SHOPPE_2__/.exec(out);
  if (!m?.[1]) return undefined;
  const env: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

async function run(t: CheckTarget): Promise<CheckOutcome> {
  const e = await reachWired(t, "JUPYTERHUB_URL");
  const lookup = (h: string) => servicesOf(t).lookup(h);
  const evidence = [`JUPYTERHUB_URL=${e.value} reached through ${servicesOf(t).via}`];
  const info = await httpCall(`${e.url}/hub/api`, { signal: t.signal, lookup });
  if (info.status !== 200)
    return {
      status: "failed",
      reason: `the hub API answered HTTP ${info.status} at /hub/api`,
      evidence,
    };
  const version = jsonOf<{ version?: string }>(info, "GET /hub/api").version;
  const p = await servicesOf(t).params("coffea-casa", t.signal);
  evidence.push(`hub API: JupyterHub ${version}${p.hubVersion ? ` (pinned ${p.hubVersion})` : ""}`);
  if (p.hubVersion && version !== p.hubVersion) {
    return {
      status: "failed",
      reason: `the hub reports JupyterHub ${version}, the chart pins ${p.hubVersion}`,
      evidence,
    };
  }
  if (!p.apiToken)
    return {
      status: "skipped",
      reason: "no hub API token to start a test user's server with",
      evidence,
    };
  const headers = { Authorization: `token ${p.apiToken}` };
  const call = (method: string, route: string, body?: unknown) =>
    httpCall(`${e.url}${route}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: t.signal,
      lookup,
    });
  const user = `shoppe-check-${randomBytes(3).toString("hex")}`;
  const created = await call("POST", `/hub/api/users/${user}`);
  if (created.status !== 201)
    return {
      status: "failed",
      reason: `the hub did not create user ${user}: HTTP ${created.status}: ${created.text.slice(0, 200)}`,
      evidence,
    };
  try {
    const spawn = await call("POST", `/hub/api/users/${user}/server`);
    if (spawn.status !== 201 && spawn.status !== 202) {
      return {
        status: "failed",
        reason: `the hub did not start ${user}'s server: HTTP ${spawn.status}: ${spawn.text.slice(0, 200)}`,
        evidence,
      };
    }
    for (;;) {
      const u = jsonOf<{ servers?: Record<string, { ready?: boolean; pending?: string | null }> }>(
        await call("GET", `/hub/api/users/${user}`),
        "GET user",
      );
      const s = u.servers?.[""];
      if (s?.ready) break;
      if (!s || (!s.pending && !s.ready))
        return {
          status: "failed",
          reason: `${user}'s server stopped while starting (see the hub's log)`,
          evidence,
        };
      await sleep(300, undefined, { signal: t.signal });
    }
    evidence.push(`user ${user}: server started`);
    const env = await terminalEnv(t, e.url, user, headers, lookup);
    // The hub's own address is what users reach it by; notebooks are not wired to it.
    const wiring = Object.fromEntries(
      Object.entries(await servicesOf(t).wiring(t.signal)).filter(([k]) => k !== e.key),
    );
    const problems: string[] = [];
    for (const [key, value] of Object.entries(wiring).sort()) {
      if (env[key] === undefined) problems.push(`${key} is missing from the user's environment`);
      else if (env[key] !== value)
        problems.push(`${key} is ${env[key]}, the chart renders ${value}`);
    }
    evidence.push(
      `user environment: ${Object.keys(wiring).filter((k) => env[k] === wiring[k]).length}/${Object.keys(wiring).length} wired variables as rendered`,
    );
    if (problems.length > 0) return { status: "failed", reason: problems.join("; "), evidence };
    return { status: "passed", evidence };
  } finally {
    await call("DELETE", `/hub/api/users/${user}/server`).catch(() => undefined);
    await call("DELETE", `/hub/api/users/${user}`).catch(() => undefined);
  }
}

/** Opens a terminal in the user's server and reads its environment. */
async function terminalEnv(
  t: CheckTarget,
  base: string,
  user: string,
  headers: Record<string, string>,
  lookup: (h: string) => string | undefined,
): Promise<Record<string, string>> {
  const term = await httpCall(`${base}/user/${user}/api/terminals`, {
    method: "POST",
    headers,
    signal: t.signal,
    lookup,
  });
  if (term.status !== 200)
    throw new Error(
      `${user}'s server did not open a terminal: HTTP ${term.status}: ${term.text.slice(0, 200)}`,
    );
  const { name } = jsonOf<{ name: string }>(term, "POST terminals");
  const ws = await openWebSocket(
    `${base.replace(/^http/, "ws")}/user/${user}/terminals/websocket/${name}`,
    { headers, signal: t.signal, lookup },
  );
  let out = "";
  try {
    return await new Promise<Record<string, string>>((resolve, reject) => {
      t.signal.addEventListener(
        "abort",
        () => reject(new Error("no environment from the terminal before the deadline")),
        { once: true },
      );
      ws.onMessage((m) => {
        const [kind, text] = JSON.parse(m) as [string, string];
        if (kind === "stdout") out += text;
        const env = parseEnv(out);
        if (env) resolve(env);
      });
      ws.send(
        JSON.stringify(["stdin", "echo __SHOPPE_$((0+1))__; env; echo __SHOPPE_$((1+1))__\r"]),
      );
    });
  } finally {
    ws.close();
    await httpCall(`${base}/user/${user}/api/terminals/${name}`, {
      method: "DELETE",
      headers,
      signal: t.signal,
      lookup,
    }).catch(() => undefined);
  }
}

/** See the module comment. */
export const jupyterhubSpawn: Check = {
  name: "jupyterhub-spawn",
  component: "coffea-casa",
  description:
    "the hub API answers with the pinned JupyterHub, a test user's server starts with the wired environment",
  needs: ["live-service"],
  run,
};
