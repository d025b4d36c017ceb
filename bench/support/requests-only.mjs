/**
 * The verify benchmark's floor: the least a process can do to check images against a lock.
 * It starts Node, asks the registry's token server for one bearer token covering every
 * repository, and sends one HEAD per image over 8 keep-alive sockets (as shoppe does), with no
 * YAML, no lock, no schema and no output. Whatever this takes, no verifying process can beat
 * it on the same machine and registry, so it shows how much of a CLI's time is the registry's.
 *
 * Usage: node requests-only.mjs <authfile> <registry-host/repository:tag>...
 * Exits 1 when any answer is not 200, so a broken setup cannot pass for a fast one.
 */
import { readFileSync } from "node:fs";
import http from "node:http";

const [authFile, ...refs] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(",");

/** One request; resolves with its status, headers and body text. */
function request(url, method, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const parsed = refs.map((ref) => {
  const slash = ref.indexOf("/");
  const colon = ref.lastIndexOf(":");
  return {
    host: ref.slice(0, slash),
    path: ref.slice(slash + 1, colon),
    tag: ref.slice(colon + 1),
  };
});
const host = parsed[0].host;
const basic = JSON.parse(readFileSync(authFile, "utf8")).auths[host].auth;
const challenge = await request(`http://${host}/v2/`, "GET", {});
const bearer = /realm="([^"]+)",service="([^"]+)"/.exec(challenge.headers["www-authenticate"]);
if (!bearer) throw new Error(`no bearer challenge from ${host}: ${challenge.status}`);
const tokenUrl = new URL(bearer[1]);
tokenUrl.searchParams.set("service", bearer[2]);
for (const p of parsed) tokenUrl.searchParams.append("scope", `repository:${p.path}:pull`);
const answer = await request(tokenUrl, "GET", { authorization: `Basic ${basic}` });
const { token, access_token } = JSON.parse(answer.body);
const headers = { authorization: `Bearer ${token ?? access_token}`, accept: ACCEPT };
const heads = await Promise.all(
  parsed.map((p) => request(`http://${host}/v2/${p.path}/manifests/${p.tag}`, "HEAD", headers)),
);
const failed = heads.filter((h) => h.status !== 200);
if (failed.length > 0) {
  console.error(`${failed.length} HEADs failed: ${failed.map((h) => h.status).join(" ")}`);
  process.exit(1);
}
agent.destroy();
