/**
 * Compares what the pins resolve to now with stack.lock, purely: a digest that changed under
 * an unchanged pin is drift, a locked artefact that is gone is missing, and a lock that does
 * not describe the current pins is stale. Also merges the two for --update-lock, keeping a
 * locked digest that this run could not check rather than forgetting it.
 */
import type {
  LockedChartEntry,
  LockedImageEntry,
  LockedNodeImageEntry,
  StackLock,
} from "./lock.js";
import type { Problem } from "./problems.js";

/** The artefact name used in problems for a locked chart. */
export function chartArtefact(c: LockedChartEntry): string {
  return `chart ${c.name} ${c.version}`;
}

/** The artefact name used in problems for a locked image. */
export function imageArtefact(i: LockedImageEntry): string {
  return `image ${i.name} ${i.image}`;
}

/** Who a node image's problems belong to: the Kubernetes version it runs. */
export function nodeImageComponent(version: string): string {
  return `kubernetes ${version}`;
}

/** The artefact name used in problems for a kind node image. */
export function nodeImageArtefact(image: string): string {
  return `kind node image ${image}`;
}

const FIX = "run shoppe verify --update-lock after checking the change";

function samePin(a: LockedChartEntry, b: LockedChartEntry): boolean {
  return (
    a.name === b.name &&
    a.version === b.version &&
    a.repository === b.repository &&
    a.path === b.path
  );
}

/** Problems of `now` against the lock `before`. */
export function driftProblems(before: StackLock, now: StackLock): Problem[] {
  const out = nodeImageProblems(before.kubernetes ?? [], now.kubernetes ?? []);
  for (const [component, cur] of Object.entries(now.components)) {
    const old = before.components[component];
    const stale = (artefact: string, message: string) =>
      out.push({ component, artefact, kind: "stale-lock", message: `${message}; ${FIX}` });
    if (!old) {
      stale(`component ${component}`, "stack.lock has no entry for it");
      continue;
    }
    if (cur.chart) {
      const artefact = chartArtefact(cur.chart);
      if (!old.chart || !samePin(old.chart, cur.chart)) {
        const was = old.chart ? `${old.chart.name} ${old.chart.version}` : "no chart";
        stale(artefact, `stack.lock locks ${was}`);
      } else if (old.chart.digest && cur.chart.digest && old.chart.digest !== cur.chart.digest) {
        out.push({
          component,
          artefact,
          kind: "drift",
          message: `the source now publishes ${cur.chart.digest}; stack.lock has ${old.chart.digest}`,
        });
      }
    }
    for (const img of cur.images) {
      const artefact = imageArtefact(img);
      const locked = old.images.find((i) => i.name === img.name);
      if (!locked || locked.image !== img.image) {
        stale(
          artefact,
          locked ? `stack.lock locks ${locked.image}` : "stack.lock has no entry for it",
        );
      } else if (locked.digest && img.digest && locked.digest !== img.digest) {
        out.push({
          component,
          artefact,
          kind: "drift",
          message: `the tag now points to ${img.digest}; stack.lock has ${locked.digest}`,
        });
      }
    }
    for (const locked of old.images) {
      if (!cur.images.some((i) => i.name === locked.name)) {
        stale(imageArtefact(locked), "stack.yaml no longer pins it");
      }
    }
  }
  for (const component of Object.keys(before.components)) {
    if (!now.components[component]) {
      out.push({
        component,
        artefact: `component ${component}`,
        kind: "stale-lock",
        message: `stack.yaml no longer has it; ${FIX}`,
      });
    }
  }
  return out;
}

/** Node image problems, one line per Kubernetes version. */
function nodeImageProblems(
  before: readonly LockedNodeImageEntry[],
  now: readonly LockedNodeImageEntry[],
): Problem[] {
  const out: Problem[] = [];
  const stale = (n: LockedNodeImageEntry, message: string) =>
    out.push({
      component: nodeImageComponent(n.version),
      artefact: nodeImageArtefact(n.image),
      kind: "stale-lock",
      message: `${message}; ${FIX}`,
    });
  for (const cur of now) {
    const locked = before.find((n) => n.version === cur.version);
    if (!locked || locked.image !== cur.image) {
      stale(cur, locked ? `stack.lock locks ${locked.image}` : "stack.lock has no entry for it");
    } else if (locked.digest && cur.digest && locked.digest !== cur.digest) {
      out.push({
        component: nodeImageComponent(cur.version),
        artefact: nodeImageArtefact(cur.image),
        kind: "drift",
        message: `the registry now serves ${cur.digest}; stack.lock has ${locked.digest}`,
      });
    }
  }
  for (const locked of before) {
    if (!now.some((n) => n.version === locked.version)) {
      stale(locked, "stack.yaml no longer pins it");
    }
  }
  return out;
}

/** The lock to write: `now`, except that an unchecked pin keeps the digest locked before. */
export function mergeLock(before: StackLock | undefined, now: StackLock): StackLock {
  if (!before) return now;
  const components = Object.fromEntries(
    Object.entries(now.components).map(([id, cur]) => {
      const old = before.components[id];
      const chart =
        cur.chart?.unresolved && old?.chart?.digest && samePin(old.chart, cur.chart)
          ? old.chart
          : cur.chart;
      const images = cur.images.map((img) => {
        const locked = old?.images.find((i) => i.name === img.name && i.image === img.image);
        return img.unresolved && locked?.digest ? locked : img;
      });
      return [id, { ...(chart ? { chart } : {}), images }];
    }),
  );
  const kubernetes = now.kubernetes?.map((cur) => {
    const locked = before.kubernetes?.find((n) => n.version === cur.version);
    return cur.unresolved && locked?.digest && locked.image === cur.image ? locked : cur;
  });
  return { ...now, ...(kubernetes ? { kubernetes } : {}), components };
}
