/**
 * A generated Helm repository index of about 20,000 entries in helm's own layout (what `helm
 * repo index` writes: `entries:`, charts by name, one list item per version, keys sorted),
 * each entry shaped like a real one (annotations, a dependency, maintainers, digest, urls),
 * deterministic, about 1 KB each: the size class of Bitnami's index (over 20 MB).
 */
import { createHash } from "node:crypto";

/** Charts × versions = entries. */
export const CHARTS = 400;
/** Versions per chart. */
export const VERSIONS = 50;

/** The version of chart version number `v` (newest first): 3 majors, pre-releases among them. */
export function versionOf(v: number): string {
  const n = VERSIONS - 1 - v;
  const base = `${Math.floor(n / 20)}.${Math.floor((n % 20) / 4)}.${n % 4}`;
  return n % 7 === 6 ? `${base}-rc.${n}` : base;
}

function entry(chart: string, version: string, i: number): string {
  const digest = createHash("sha256").update(`${chart}-${version}`).digest("hex");
  return [
    "  - annotations:",
    "      artifacthub.io/changes: |",
    "        - kind: changed",
    `          description: Update the application image to ${version}`,
    `      artifacthub.io/images: |`,
    `        - name: app`,
    `          image: registry.example.org/bench/${chart}:${version}`,
    "    apiVersion: v2",
    `    appVersion: ${version}`,
    `    created: "2025-${String((i % 12) + 1).padStart(2, "0")}-01T10:00:00.000000000Z"`,
    "    dependencies:",
    "    - condition: postgresql.enabled",
    "      name: postgresql",
    "      repository: oci://registry.example.org/charts",
    "      version: 12.x.x",
    `    description: Chart ${chart} of the generated benchmark repository, release ${version}.`,
    `    digest: ${digest}`,
    `    home: https://example.org/${chart}`,
    "    keywords:",
    "    - bench",
    "    maintainers:",
    "    - email: maintainers@example.org",
    "      name: Benchmark maintainers",
    `    name: ${chart}`,
    "    sources:",
    `    - https://github.com/example/${chart}`,
    "    type: application",
    "    urls:",
    `    - https://charts.example.org/${chart}-${version}.tgz`,
    `    version: ${version}`,
  ].join("\n");
}

/** The index text. */
export function bigIndex(): string {
  const parts = ["apiVersion: v1", "entries:"];
  for (let c = 0; c < CHARTS; c++) {
    const chart = `chart-${String(c).padStart(3, "0")}`;
    parts.push(`  ${chart}:`);
    for (let v = 0; v < VERSIONS; v++) parts.push(entry(chart, versionOf(v), c * VERSIONS + v));
  }
  parts.push('generated: "2025-12-01T10:00:00.000000000Z"', "");
  return parts.join("\n");
}
