/**
 * A throwaway PKI for one local cluster, made with openssl through the runner: a CA, one
 * serving certificate for 127.0.0.1 (API server, controller-manager, scheduler), an admin
 * client certificate in system:masters, and the service-account signing key pair. Keys are
 * ECDSA P-256 (fast to generate, accepted by every component). Node's crypto cannot issue
 * X.509 certificates, hence openssl.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Runner } from "../../../exec/runner.js";

/** Paths of every file generatePki writes. */
export interface PkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** Options of generatePki. */
export interface PkiOptions {
  /** Name shown in the CA's subject, so certificates of side-by-side clusters are told apart. */
  clusterName: string;
  /** Extra SANs of the serving certificate beyond 127.0.0.1, localhost and kubernetes.*. */
  serviceIp?: string;
  /** Validity in days; default 365. */
  days?: number;
}

/** The openssl configuration: extensions are explicit so distro defaults never leak in. */
function opensslConfig(serviceIp: string): string {
  const dns = [
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
  ];
  const alt = [
    ...dns.map((d, i) => `DNS.${i + 1} = ${d}`),
    "IP.1 = 127.0.0.1",
    `IP.2 = ${serviceIp}`,
  ];
  return [
    "[req]",
    "distinguished_name = dn",
    "prompt = no",
    "[dn]",
    "CN = unused",
    "[ca]",
    "basicConstraints = critical, CA:TRUE",
    "keyUsage = critical, keyCertSign, cRLSign, digitalSignature",
    "subjectKeyIdentifier = hash",
    "[serving]",
    "basicConstraints = critical, CA:FALSE",
    "keyUsage = critical, digitalSignature, keyEncipherment",
    "extendedKeyUsage = serverAuth, clientAuth",
    "subjectAltName = @alt",
    "[client]",
    "basicConstraints = critical, CA:FALSE",
    "keyUsage = critical, digitalSignature, keyEncipherment",
    "extendedKeyUsage = clientAuth",
    "[alt]",
    ...alt,
    "",
  ].join("\n");
}

/** Writes the PKI into `dir` (created, mode 0700) and returns the paths. */
export async function generatePki(runner: Runner, dir: string, o: PkiOptions): Promise<PkiFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(dir, name);
  const files: PkiFiles = {
    dir,
    caCert: f("ca.crt"),
    caKey: f("ca.key"),
    servingCert: f("serving.crt"),
    servingKey: f("serving.key"),
    adminCert: f("admin.crt"),
    adminKey: f("admin.key"),
    serviceAccountKey: f("sa.key"),
    serviceAccountPub: f("sa.pub"),
  };
  const cnf = f("openssl.cnf");
  writeFileSync(cnf, opensslConfig(o.serviceIp ?? "10.96.0.1"));
  const days = String(o.days ?? 365);
  const ssl = (args: string[]) => runner.run("openssl", args, { cwd: dir });
  const genkey = (out: string) =>
    ssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", out]);
  const serial = () => `0x${randomBytes(16).toString("hex")}`;

  await Promise.all([
    genkey(files.caKey),
    genkey(files.servingKey),
    genkey(files.adminKey),
    genkey(files.serviceAccountKey),
  ]);
  await ssl(["pkey", "-in", files.serviceAccountKey, "-pubout", "-out", files.serviceAccountPub]);
  await ssl([
    "req",
    "-x509",
    "-new",
    "-config",
    cnf,
    "-extensions",
    "ca",
    "-key",
    files.caKey,
    "-subj",
    `/CN=shoppe-${o.clusterName}-ca`,
    "-days",
    days,
    "-set_serial",
    serial(),
    "-out",
    files.caCert,
  ]);
  const issue = async (key: string, cert: string, subject: string, ext: string) => {
    const csr = `${cert}.csr`;
    await ssl(["req", "-new", "-config", cnf, "-key", key, "-subj", subject, "-out", csr]);
    await ssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      files.caCert,
      "-CAkey",
      files.caKey,
      "-set_serial",
      serial(),
      "-days",
      days,
      "-extfile",
      cnf,
      "-extensions",
      ext,
      "-out",
      cert,
    ]);
  };
  await Promise.all([
    issue(files.servingKey, files.servingCert, "/CN=kube-apiserver", "serving"),
    issue(files.adminKey, files.adminCert, "/O=system:masters/CN=shoppe-admin", "client"),
  ]);
  for (const k of [files.caKey, files.servingKey, files.adminKey, files.serviceAccountKey]) {
    chmodSync(k, 0o600);
  }
  return files;
}

/** Reads a PEM file as base64 for kubeconfig `*-data` fields. */
export function pemBase64(file: string): string {
  return readFileSync(file).toString("base64");
}
