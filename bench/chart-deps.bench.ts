/**
 * `shoppe chart deps` of the real umbrella from the upstream mirror, against its peer `helm
 * dependency build` on the same inputs: the same umbrella (a copy of the chart directory beside
 * it, Chart.lock present in both), the same mirror served on loopback as live repositories with
 * the full published indexes (1.7 and 2.3 MB), `helm repo add` done beforehand. The peer skips
 * the index refresh, so it pays only for reading the cached indexes and downloading. The goal:
 * shoppe within 1.5x of helm. Skipped (with the reason) without ../shared/upstream.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, bench, describe } from "vitest";
import { chartDeps } from "../src/actions/chart.js";
import { httpRepositories } from "../src/helm/repositories.js";
import { openUmbrella } from "../src/helm/umbrella.js";
import { openHelm } from "../src/tools/helm.js";
import { createRealProject, realStack } from "../test/support/real-project.js";
import { upstreamMirror, upstreamMissing } from "../test/support/upstream-mirror.js";
import { retargetedMirror, serveUpstreamRepos } from "../test/support/upstream-repos.js";

const missing = upstreamMissing();

async function setup() {
  const repos = await serveUpstreamRepos(await upstreamMirror());
  const mirror = await retargetedMirror(await upstreamMirror(), repos.urls);
  const project = await createRealProject(await realStack(repos.urls));
  await chartDeps(project.ctx, { mirror: mirror.path }); // Chart.lock, as the peer's copy has
  const peerDir = path.join(project.root, "charts", "peer-umbrella");
  await cp(project.chartDir, peerDir, { recursive: true });
  const home = await mkdtemp(path.join(os.tmpdir(), "shoppe-bench-helm-"));
  const helm = openHelm(project.ctx, "v4", home);
  for (const r of httpRepositories((await openUmbrella(project.ctx)).sources)) {
    await helm.repoAdd(r.name, r.url);
  }
  const close = async () => {
    await repos.stop();
    await mirror.remove();
    await project.close();
    await rm(home, { recursive: true, force: true });
  };
  return { project, mirror: mirror.path, helm, peerDir, close };
}

const ready = missing ? undefined : await setup();
afterAll(() => ready?.close());

(ready ? describe : describe.skip)(
  `chart deps of the real umbrella from the upstream mirror${missing ? ` (${missing})` : ""}`,
  () => {
    const options = { time: 10_000, iterations: 10, warmupIterations: 2 };
    bench(
      "shoppe chart deps --mirror (staged, checked, recorded)",
      async () => {
        await chartDeps(ready?.project.ctx as NonNullable<typeof ready>["project"]["ctx"], {
          mirror: ready?.mirror,
        });
      },
      options,
    );
    bench(
      "peer: helm dependency build --skip-refresh (repositories added beforehand)",
      async () => {
        await ready?.helm.dependency("build", ready.peerDir, { skipRefresh: true });
      },
      options,
    );
  },
);
