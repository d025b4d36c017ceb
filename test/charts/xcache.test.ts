import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/objects.js";
import { describeWithTools } from "../helpers/tools.js";
import { chartContract, useHarness } from "./contract.js";
import {
  chartDir,
  ciScenarios,
  container,
  HELM_MAJORS,
  type HelmHarness,
  helmBinary,
  helmFailure,
  type Loose,
  notes,
  only,
  pod,
  render,
} from "./harness.js";

const CHART = chartDir("xcache");
const ci = (name: string) => path.join(CHART, "ci", `${name}-values.yaml`);
const scenarios = await ciScenarios(CHART);

function configOf(objects: KubeObject[]): string {
  return (only(objects, "ConfigMap") as Loose).data["xrootd.cfg"];
}

function envOf(c: Loose): Record<string, string> {
  return Object.fromEntries(c.env.map((e: Loose) => [e.name, e.value]));
}

describe("xcache CI scenarios", () => {
  it("cover the required cases", () => {
    const names = scenarios.map((f) => path.basename(f));
    for (const required of ["default", "ci", "origin", "cert"]) {
      expect(names).toContain(`${required}-values.yaml`);
    }
  });
});

for (const major of HELM_MAJORS) {
  describeWithTools(`xcache chart (helm ${major})`, [helmBinary(major)], () => {
    const harness = useHarness(major);
    chartContract(harness, { chart: CHART, scenarios, workload: "StatefulSet" });
    let h: HelmHarness;
    beforeAll(() => {
      h = harness();
    });

    describe("defaults", () => {
      let objects: KubeObject[];
      let sts: Loose;
      let spec: Loose;
      let xrootd: Loose;
      beforeAll(async () => {
        objects = await render(h.helm, CHART);
        sts = only(objects, "StatefulSet");
        spec = pod(sts);
        xrootd = container(spec, "xrootd");
      });

      it("names everything <release>-xcache with the standard labels", () => {
        expect(sts.metadata.name).toBe("r-xcache");
        const labels = sts.metadata.labels;
        expect(labels).toMatchObject({
          "app.kubernetes.io/name": "xcache",
          "app.kubernetes.io/instance": "r",
          "app.kubernetes.io/component": "cache",
          "app.kubernetes.io/managed-by": "Helm",
          "helm.sh/chart": "xcache-0.1.0",
        });
        expect(labels["app.kubernetes.io/version"]).toMatch(/^25-release(-\d{8}-\d{4})?$/);
        expect(sts.spec.selector.matchLabels).toEqual({
          "app.kubernetes.io/name": "xcache",
          "app.kubernetes.io/instance": "r",
        });
      });

      it("keeps the pod off the host network", () => {
        expect(spec.hostNetwork).toBe(false);
        expect(spec.dnsPolicy).toBeUndefined();
      });

      it("runs unprivileged as the xrootd user", () => {
        expect(spec.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 10940,
          runAsGroup: 10940,
          fsGroup: 10940,
        });
        expect(xrootd.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(spec.automountServiceAccountToken).toBe(false);
      });

      it("serves xroot on 1094 through a ClusterIP Service and a headless one", () => {
        expect(xrootd.ports).toEqual([{ name: "xroot", containerPort: 1094, protocol: "TCP" }]);
        const svc: Loose = only(objects, "Service", "r-xcache");
        expect(svc.spec.type).toBe("ClusterIP");
        expect(svc.spec.ports).toEqual([
          { name: "xroot", port: 1094, targetPort: "xroot", protocol: "TCP" },
        ]);
        const headless: Loose = only(objects, "Service", "r-xcache-headless");
        expect(headless.spec.clusterIP).toBe("None");
        expect(sts.spec.serviceName).toBe("r-xcache-headless");
      });

      it("probes the xroot port over TCP (startup, liveness, readiness)", () => {
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          expect(xrootd[probe], probe).toMatchObject({ tcpSocket: { port: "xroot" } });
          expect(xrootd[probe].httpGet, probe).toBeUndefined();
        }
      });

      it("claims a 10Gi ReadWriteOnce cache volume per pod", () => {
        expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
        const claim = sts.spec.volumeClaimTemplates[0];
        expect(claim.metadata.name).toBe("data");
        expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
        expect(claim.spec.resources.requests.storage).toBe("10Gi");
        expect(claim.spec.storageClassName).toBeUndefined();
        expect(xrootd.volumeMounts).toContainEqual({ name: "data", mountPath: "/xcache" });
        expect(spec.volumes.find((v: Loose) => v.name === "data")).toBeUndefined();
      });

      it("passes the XC_* tunables from values as environment", () => {
        expect(envOf(xrootd)).toEqual({
          XC_PORT: "1094",
          XC_RESOURCENAME: "r-xcache",
          XC_SPACE_HIGH_WM: "0.95",
          XC_SPACE_LOW_WM: "0.90",
          XC_RAMSIZE: "1g",
          XC_BLOCKSIZE: "1M",
          XC_PREFETCH: "10",
          DISABLE_OSG_MONITORING: "true",
        });
      });

      it("configures a forwarding proxy cache that reads the XC_* variables", () => {
        const cfg = configOf(objects);
        expect(cfg).toContain("pss.origin =");
        expect(cfg).toContain("all.export /root:/");
        expect(cfg).toContain("ofs.osslib libXrdPss.so");
        expect(cfg).toContain("pss.cachelib libXrdPfc.so");
        expect(cfg).toContain("set eRAMSIZE = $XC_RAMSIZE");
        expect(cfg).toContain("pfc.diskusage $(eSPACELOWWM) $(eSPACEHIGHWM)");
        expect(cfg).not.toContain("xrootd.monitor");
        expect(xrootd.args[0]).toContain("exec xrootd -c /etc/xrootd-shoppe/xrootd.cfg");
        expect(spec.volumes).toContainEqual({ name: "config", configMap: { name: "r-xcache" } });
      });

      it("renders no init container and a helm test pod", () => {
        expect(spec.initContainers).toBeUndefined();
        const test: Loose = only(objects, "Pod");
        expect(test.metadata.annotations["helm.sh/hook"]).toBe("test");
        expect(test.metadata.labels["app.kubernetes.io/component"]).toBe("test");
        expect(test.spec.containers[0].args[0]).toContain("/dev/tcp/r-xcache.shoppe.svc/1094");
      });
    });

    it("ci scenario: fixed name, fixed origin, tiny resources", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("ci")] });
      const sts: Loose = only(objects, "StatefulSet", "xcache");
      only(objects, "Service", "xcache");
      expect(container(pod(sts), "xrootd").resources.requests).toEqual({
        cpu: "10m",
        memory: "64Mi",
      });
      expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("1Gi");
      const cfg = configOf(objects);
      expect(cfg).toContain("pss.origin xcache-origin:1094");
      expect(cfg).toContain("all.export /\n");
      expect(cfg).not.toContain("pss.origin =");
    });

    it("origin scenario: a plain XRootD server exporting /store, seeded from the ConfigMap", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("origin")] });
      const sts: Loose = only(objects, "StatefulSet", "xcache-origin");
      expect(sts.metadata.labels["app.kubernetes.io/component"]).toBe("origin");
      const cfg = configOf(objects);
      expect(cfg).toContain("all.export /store r/o");
      expect(cfg).not.toContain("libXrdPss");
      expect(cfg).not.toContain("pfc.");
      const cm: Loose = only(objects, "ConfigMap");
      expect(cm.data["seed-hello.txt"]).toBe("hello from the coffea-shoppe test origin\n");
      const prepare = container(pod(sts), "prepare");
      expect(prepare.args[0]).toContain('cp /seed/seed-hello.txt "/xcache/data/store/hello.txt"');
      expect(prepare.securityContext.runAsUser).toBe(10940);
      const claim = sts.spec.volumeClaimTemplates[0];
      expect(claim.spec.storageClassName).toBe("");
      expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({
        whenDeleted: "Delete",
        whenScaled: "Delete",
      });
    });

    it("cert scenario: host certificate and token end up where the image expects them", async () => {
      const objects = await render(h.helm, CHART, { valuesFiles: [ci("cert")] });
      const spec = pod(only(objects, "StatefulSet"));
      const xrootd = container(spec, "xrootd");
      expect(xrootd.volumeMounts).toEqual(
        expect.arrayContaining([
          {
            name: "prepared",
            mountPath: "/etc/grid-security/hostcert.pem",
            subPath: "hostcert.pem",
            readOnly: true,
          },
          {
            name: "prepared",
            mountPath: "/etc/grid-security/hostkey.pem",
            subPath: "hostkey.pem",
            readOnly: true,
          },
          {
            name: "prepared",
            mountPath: "/etc/xrootd/macaroon-secret",
            subPath: "token",
            readOnly: true,
          },
        ]),
      );
      const certVolume = spec.volumes.find((v: Loose) => v.name === "hostcert-secret");
      expect(certVolume.secret.secretName).toBe("xcache-hostcert");
      expect(certVolume.secret.defaultMode).toBe(0o440);
      const prepare = container(spec, "prepare");
      expect(prepare.args[0]).toContain(
        "install -m 0400 /secrets/hostcert/tls.key /prepared/hostkey.pem",
      );
      const cfg = configOf(objects);
      expect(cfg).toContain("pss.origin redirector.example.org:1094");
      expect(cfg).toContain("all.export /store\nall.export /user\n");
      expect(cfg).toContain(
        "xrd.tls /etc/grid-security/hostcert.pem /etc/grid-security/hostkey.pem",
      );
      expect(cfg).toContain("macaroons.secretkey /etc/xrootd/macaroon-secret");
      expect(cfg).toContain("xrootd.monitor all");
      expect(envOf(xrootd).DISABLE_OSG_MONITORING).toBe("false");
    });

    it("uses the host network only when asked", async () => {
      const spec = pod(
        only(await render(h.helm, CHART, { set: { hostNetwork: "true" } }), "StatefulSet"),
      );
      expect(spec.hostNetwork).toBe(true);
      expect(spec.dnsPolicy).toBe("ClusterFirstWithHostNet");
    });

    it("falls back to an emptyDir without persistence", async () => {
      const objects = await render(h.helm, CHART, {
        set: { "persistence.enabled": "false", "persistence.emptyDirSizeLimit": "5Gi" },
      });
      const sts: Loose = only(objects, "StatefulSet");
      expect(sts.spec.volumeClaimTemplates).toBeUndefined();
      expect(pod(sts).volumes).toContainEqual({ name: "data", emptyDir: { sizeLimit: "5Gi" } });
    });

    it("honours fullnameOverride, nameOverride and an image digest", async () => {
      const digest = `sha256:${"a".repeat(64)}`;
      const byFull = await render(h.helm, CHART, { set: { fullnameOverride: "xcache" } });
      only(byFull, "StatefulSet", "xcache");
      only(byFull, "Service", "xcache");
      const byName = await render(h.helm, CHART, {
        set: { nameOverride: "cache", "image.digest": digest },
      });
      const sts: Loose = only(byName, "StatefulSet", "r-cache");
      expect(sts.metadata.labels["app.kubernetes.io/name"]).toBe("cache");
      expect(container(pod(sts), "xrootd").image).toBe(
        `hub.opensciencegrid.org/osg-htc/xcache:25-release@${digest}`,
      );
    });

    describe("values schema", () => {
      it("accepts the global key Helm injects into subcharts", async () => {
        const objects = await render(h.helm, CHART, {
          set: { "global.imageRegistry": "mirror.example" },
        });
        only(objects, "StatefulSet");
      });

      it("accepts the enabled flag an umbrella's dependency condition passes down", async () => {
        const objects = await render(h.helm, CHART, { set: { enabled: "true" } });
        expect(objects.some((o) => o.kind === "StatefulSet")).toBe(true);
        const out = await helmFailure(() => render(h.helm, CHART, { set: { enabled: "yes" } }));
        expect(out).toContain("enabled");
      });

      it("rejects an unknown top-level key", async () => {
        const out = await helmFailure(() => render(h.helm, CHART, { set: { cachesize: "10Gi" } }));
        expect(out).toMatch(/schema/i);
        expect(out).toContain("cachesize");
      });

      it("rejects a mode outside cache|origin", async () => {
        const out = await helmFailure(() => render(h.helm, CHART, { set: { mode: "proxy" } }));
        expect(out).toContain("mode");
        expect(out).toMatch(/cache|origin/);
      });

      it("rejects a watermark that is neither a fraction nor a size", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { "cache.spaceHighWatermark": "95%" } }),
        );
        expect(out).toContain("spaceHighWatermark");
      });

      it("rejects a low-water mark above the high-water mark", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { "cache.spaceLowWatermark": "0.97" } }),
        );
        expect(out).toContain("must be below cache.spaceHighWatermark");
      });

      it("rejects both an origin and a redirector", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, {
            set: { "origin.host": "a.example", "redirector.host": "b.example" },
          }),
        );
        expect(out).toContain("at most one of origin.host and redirector.host");
      });

      it("rejects hostCert.enabled without a Secret name", async () => {
        const out = await helmFailure(() =>
          render(h.helm, CHART, { set: { "hostCert.enabled": "true" } }),
        );
        expect(out).toContain("secretName");
      });
    });
  });
}

// NOTES.txt is rendered only by install (`helm install --dry-run=client`), and helm 3.22's
// client-side dry run still asks a cluster for its version, so the NOTES checks run with
// helm 4 only.
describeWithTools("xcache NOTES.txt (helm v4)", [helmBinary("v4")], () => {
  const harness = useHarness("v4");
  let h: HelmHarness;
  beforeAll(() => {
    h = harness();
  });

  it("describes the forwarding proxy by default", async () => {
    const text = await notes(h.helm, CHART);
    expect(text).toContain("running in cache mode as StatefulSet r-xcache");
    expect(text).toContain("xrdcp root://r-xcache.shoppe.svc:1094//root://<origin>:1094//<path> .");
    expect(text).toContain("XCACHE_HOST=r-xcache.shoppe.svc");
    expect(text).not.toContain("WARNING");
  });

  it.each([
    ["ci", "XCache in front of xcache-origin:1094"],
    ["origin", "XRootD test origin, exporting /store (read-only)"],
    ["cert", "XCache in front of redirector.example.org:1094"],
  ])("renders for the %s scenario", async (scenario, expected) => {
    expect(await notes(h.helm, CHART, { valuesFiles: [ci(scenario)] })).toContain(expected);
  });

  it("warns about an emptyDir cache and the host network", async () => {
    const text = await notes(h.helm, CHART, {
      set: { "persistence.enabled": "false", hostNetwork: "true" },
    });
    expect(text).toContain(
      "WARNING: persistence is disabled; cached data will be lost with the pod",
    );
    expect(text).toContain("WARNING: hostNetwork is on");
  });
});
