/** Admin kubeconfigs for local clusters, with certificates embedded so the file stands alone. */
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { type PkiFiles, pemBase64 } from "./pki.js";

/** Writes a kubeconfig for `server` whose only context is `contextName`, mode 0600. */
export function writeKubeconfig(
  file: string,
  contextName: string,
  server: string,
  pki: PkiFiles,
): void {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [
      {
        name: contextName,
        cluster: { server, "certificate-authority-data": pemBase64(pki.caCert) },
      },
    ],
    users: [
      {
        name: `${contextName}-admin`,
        user: {
          "client-certificate-data": pemBase64(pki.adminCert),
          "client-key-data": pemBase64(pki.adminKey),
        },
      },
    ],
    contexts: [
      { name: contextName, context: { cluster: contextName, user: `${contextName}-admin` } },
    ],
    "current-context": contextName,
  };
  writeFileSync(file, stringify(doc), { mode: 0o600 });
}
