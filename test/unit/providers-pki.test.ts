import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatePki } from "../../src/e2e/providers/common/pki.js";
import { Redactor } from "../../src/exec/redact.js";
import { ExecaRunner } from "../../src/exec/runner.js";

const dir = mkdtempSync(path.join(tmpdir(), "shoppe-pki-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cluster PKI (openssl)", () => {
  it("issues a CA, a 127.0.0.1 serving cert and a system:masters client cert", async () => {
    const pki = await generatePki(new ExecaRunner(new Redactor()), dir, { clusterName: "unit" });
    const ca = new X509Certificate(readFileSync(pki.caCert));
    const serving = new X509Certificate(readFileSync(pki.servingCert));
    const admin = new X509Certificate(readFileSync(pki.adminCert));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain("CN=shoppe-unit-ca");
    for (const cert of [serving, admin]) {
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
    }
    expect(serving.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(serving.subjectAltName).toContain("DNS:kubernetes.default.svc");
    expect(serving.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(admin.subject).toContain("O=system:masters");
    expect(readFileSync(pki.serviceAccountPub, "utf8")).toContain("BEGIN PUBLIC KEY");
    for (const key of [pki.caKey, pki.servingKey, pki.adminKey, pki.serviceAccountKey]) {
      expect(statSync(key).mode & 0o077).toBe(0);
    }
  });
});
