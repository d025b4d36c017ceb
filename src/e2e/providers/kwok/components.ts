/**
 * The command lines of a kwok cluster's processes, built purely from a layout (paths, ports,
 * binaries) so tests can check them without starting anything. Every listener is on
 * 127.0.0.1 at a port chosen for this cluster; flags follow kwokctl's binary runtime
 * (sigs.k8s.io/kwok pkg/kwokctl/components) where it has an opinion.
 */
import path from "node:path";
import type { PkiFiles } from "../common/pki.js";
import { LOOPBACK } from "../common/ports.js";
import type { DaemonSpec } from "../common/supervisor.js";
import { KWOK_NODE_ANNOTATION } from "./nodes.js";

/** Components in start order; delete stops them all at once. */
export const COMPONENTS = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
] as const;

/** One of COMPONENTS. */
export type Component = (typeof COMPONENTS)[number];

/** Ports of one cluster; etcd also needs a peer port. */
export type Ports = Record<Component | "etcd-peer", number>;

/** Executables, by component. */
export type Binaries = Record<Component, string>;

/** Everything the command lines refer to. */
export interface Layout {
  clusterName: string;
  stateDir: string;
  kubeconfig: string;
  pki: PkiFiles;
  ports: Ports;
  binaries: Binaries;
}

/** Service ClusterIPs; the API server's own Service takes the first address. */
export const SERVICE_CIDR = "10.96.0.0/16";
/** Pod IPs kwok hands out. */
export const POD_CIDR = "10.244.0.0/16";

/** Files inside the state dir. */
export function statePaths(stateDir: string) {
  return {
    kubeconfig: path.join(stateDir, "kubeconfig"),
    pki: path.join(stateDir, "pki"),
    etcdData: path.join(stateDir, "etcd"),
    logs: path.join(stateDir, "logs"),
    kwokConfig: path.join(stateDir, "kwok.yaml"),
    kwokWorkDir: path.join(stateDir, "kwok"),
  };
}

const url = (scheme: string, port: number) => `${scheme}://${LOOPBACK}:${port}`;

/** Flags that let controller-manager and scheduler serve /healthz with our certificate. */
function servingFlags(l: Layout, port: number): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    `--authentication-kubeconfig=${l.kubeconfig}`,
    `--authorization-kubeconfig=${l.kubeconfig}`,
    "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${l.pki.servingCert}`,
    `--tls-private-key-file=${l.pki.servingKey}`,
    "--leader-elect=false",
    "--profiling=false",
  ];
}

/** The argv of every component, keyed by name. */
export function componentArgs(l: Layout): Record<Component, string[]> {
  const p = statePaths(l.stateDir);
  const peer = url("http", l.ports["etcd-peer"]);
  return {
    etcd: [
      `--name=${l.clusterName}`,
      `--data-dir=${p.etcdData}`,
      `--listen-client-urls=${url("http", l.ports.etcd)}`,
      `--advertise-client-urls=${url("http", l.ports.etcd)}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${l.clusterName}=${peer}`,
      "--initial-cluster-state=new",
      // A throwaway test datastore: durability buys nothing, fsync costs seconds on slow disks.
      "--unsafe-no-fsync=true",
      "--auto-compaction-retention=1",
      "--log-level=warn",
    ],
    "kube-apiserver": [
      `--etcd-servers=${url("http", l.ports.etcd)}`,
      `--bind-address=${LOOPBACK}`,
      `--advertise-address=${LOOPBACK}`,
      `--secure-port=${l.ports["kube-apiserver"]}`,
      // Endpoints may not hold loopback addresses; nothing in-cluster dials the API server.
      "--endpoint-reconciler-type=none",
      `--tls-cert-file=${l.pki.servingCert}`,
      `--tls-private-key-file=${l.pki.servingKey}`,
      `--client-ca-file=${l.pki.caCert}`,
      `--service-account-key-file=${l.pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${l.pki.serviceAccountKey}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      "--authorization-mode=Node,RBAC",
      "--allow-privileged=true",
      `--cert-dir=${path.join(l.stateDir, "pki", "apiserver")}`,
      "--profiling=false",
    ],
    "kube-controller-manager": [
      ...servingFlags(l, l.ports["kube-controller-manager"]),
      `--cluster-name=${l.clusterName}`,
      `--root-ca-file=${l.pki.caCert}`,
      `--service-account-private-key-file=${l.pki.serviceAccountKey}`,
      `--cluster-signing-cert-file=${l.pki.caCert}`,
      `--cluster-signing-key-file=${l.pki.caKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
    ],
    "kube-scheduler": servingFlags(l, l.ports["kube-scheduler"]),
    kwok: [
      `--kubeconfig=${l.kubeconfig}`,
      `--config=${p.kwokConfig}`,
      "--manage-all-nodes=false",
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      `--cidr=${POD_CIDR}`,
      "--node-lease-duration-seconds=40",
      `--server-address=${LOOPBACK}:${l.ports.kwok}`,
      `--tls-cert-file=${l.pki.servingCert}`,
      `--tls-private-key-file=${l.pki.servingKey}`,
      // INFO logs a line per node lease renewal; warnings and errors are what a tail needs.
      "--v=WARN",
    ],
  };
}

/** The DaemonSpec of `component`: its argv, log file and environment. */
export function daemonSpec(l: Layout, component: Component): DaemonSpec {
  const p = statePaths(l.stateDir);
  return {
    name: component,
    file: l.binaries[component],
    args: componentArgs(l)[component],
    logFile: path.join(p.logs, `${component}.log`),
    cwd: l.stateDir,
    // kwok also loads ~/.kwok/kwok.yaml when it exists; its own work dir keeps it isolated.
    env: component === "kwok" ? { KWOK_WORKDIR: p.kwokWorkDir } : {},
  };
}
