/**
 * The pinned helm binaries behave like helm's release builds: they report their exact version
 * and, without --kube-version, assume the Kubernetes their client libraries target (an
 * unstamped `go install` of helm 3 assumes 1.20, older than any chart here supports).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createContext } from "../../src/context.js";
import { type HelmMajor, openHelm } from "../../src/tools/helm.js";
import { readPins } from "../../src/tools/pins.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";

describeWithTools("pinned helm builds", ["helm", "helm3"], () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shoppe-helm-builds-"));
    await mkdir(path.join(dir, "chart/templates"), { recursive: true });
    await writeFile(
      path.join(dir, "chart/Chart.yaml"),
      "apiVersion: v2\nname: kv\nversion: 0.1.0\n",
    );
    await writeFile(
      path.join(dir, "chart/templates/cm.yaml"),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kv\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n",
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    ["v4", "helm"],
    ["v3", "helm3"],
  ])("helm %s reports its pin and a current default Kubernetes", async (major, pinName) => {
    const helm = openHelm(createContext({ root: ROOT }), major as HelmMajor, path.join(dir, major));
    expect(await helm.version()).toBe(readPins(ROOT)[pinName]);
    const out = await helm.template(path.join(dir, "chart"), { releaseName: "r" });
    const minor = Number(/kube: "v1\.(\d+)\./.exec(out)?.[1]);
    expect(minor).toBeGreaterThanOrEqual(34);
  });
});
