/**
 * Resolving pinned charts in the upstream mirror: absolute upstream URLs mapped by file name,
 * digests checked, substitutes declared, archives without an index entry described by their
 * own Chart.yaml, and each way a mirror can be wrong named with what to do.
 */
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { loadMirror } from "../../src/mirror/mirror-file.js";
import { MirrorResolver, type PinnedChart } from "../../src/mirror/resolve.js";
import { copyMirror } from "../support/mirror-edits.js";
import { CASA, describeWithUpstream, upstreamMirror } from "../support/upstream-mirror.js";

const pin = (repository: string, chart: string, version: string): PinnedChart => ({
  component: chart,
  repository,
  chart,
  version,
});
const SSL = "https://ssl-hep.github.io/ssl-helm-charts/";
const HUB = "https://jupyterhub.github.io/helm-chart/";

describeWithUpstream("MirrorResolver on the upstream mirror", ["helm"], () => {
  let resolver: MirrorResolver;
  let dir: string;
  beforeAll(async () => {
    dir = await upstreamMirror();
    resolver = new MirrorResolver(await loadMirror(dir, "upstream"));
  });

  it("maps the published absolute URL to the archive present and checks its digest", async () => {
    const c = await resolver.resolve(pin(SSL.replace(/\/$/, ""), "servicex", "1.5.3"));
    expect(c.folder).toBe("charts/ssl-helm-charts");
    expect(c.archivePath).toBe("charts/ssl-helm-charts/servicex-1.5.3.tgz");
    expect(c.sha256).toBe(c.published?.digest);
    expect(c.entry).toBe(c.published);
    expect(c.substitute).toBeUndefined();
  });

  it("serves a declared substitute (mlflow packaged from source) from its own Chart.yaml", async () => {
    const c = await resolver.resolve(
      pin("https://community-charts.github.io/helm-charts/", "mlflow", "1.11.5"),
    );
    expect(c.substitute).toContain("packaged from community-charts/helm-charts@9d23d003");
    expect(c.published?.digest).not.toBe(c.sha256);
    expect(c.entry.appVersion).toBe("3.15.1");
    expect(c.entry.urls).toBeUndefined();
    const casa = await resolver.resolve(
      pin("https://coffeateam.github.io/coffea-casa", "coffea-casa", CASA.version),
    );
    expect(casa.substitute).toBe(CASA.reason);
    // The substitute's metadata, not the published entry's (which depends on z2jh 4.4.1).
    expect(casa.entry.dependencies).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "jupyterhub", version: "4.4.0" })]),
    );
  });

  it("describes an archive the index does not list by its Chart.yaml", async () => {
    const c = await resolver.resolve(pin(HUB, "jupyterhub", "4.4.0"));
    expect(c.published).toBeUndefined();
    expect(c.substitute).toBeUndefined();
    expect(c.archivePath).toBe("charts/jupyterhub/jupyterhub-4.4.0.tgz");
    expect(c.entry).toMatchObject({ name: "jupyterhub", version: "4.4.0", apiVersion: "v2" });
  });

  it("names what is missing or wrong, and what to do", async () => {
    await expect(resolver.resolve(pin("https://charts.example.org", "x", "1.0.0"))).rejects.toThrow(
      'failed to resolve component "x" (chart x 1.0.0 from https://charts.example.org) in the mirror upstream: its upstream/mirror.yaml names no folder for https://charts.example.org; add a `charts:` entry for that URL with the archive x-1.0.0.tgz, or run `shoppe mirror create` where https://charts.example.org is reachable',
    );
    await expect(resolver.resolve(pin(HUB, "jupyterhub", "3.3.7"))).rejects.toThrow(
      "the archive is missing: expected upstream/charts/jupyterhub/jupyterhub-3.3.7.tgz (upstream: https://jupyterhub.github.io/helm-chart/jupyterhub-3.3.7.tgz)",
    );
    const wrong = await copyMirror(dir, async (d) => {
      await copyFile(
        path.join(d, "charts/ssl-helm-charts/servicex-1.5.2.tgz"),
        path.join(d, "charts/ssl-helm-charts/servicex-1.5.3.tgz"),
      );
    });
    try {
      const r = new MirrorResolver(await loadMirror(wrong.path, "wrong"));
      await expect(r.resolve(pin(SSL, "servicex", "1.5.3"))).rejects.toThrow(
        "charts/ssl-helm-charts/servicex-1.5.3.tgz holds chart servicex 1.5.2; replace it: expected wrong/charts/ssl-helm-charts/servicex-1.5.3.tgz",
      );
    } finally {
      await wrong.remove();
    }
  });
});
