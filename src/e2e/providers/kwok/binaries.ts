/**
 * The executables a kwok cluster runs, found the way every tool is (.tools/bin, then PATH),
 * and the Kubernetes version the control plane was built as.
 */
import { ToolError } from "../../../errors.js";
import type { Runner } from "../../../exec/runner.js";
import { locate } from "../../../tools/locate.js";
import { type Binaries, COMPONENTS } from "./components.js";

/** The install-tools names that provide the binaries. */
const INSTALL_HINT = "scripts/install-tools kube etcd kwok";

/** Locates every component's binary; `missing` lists the ones found nowhere. */
export function findBinaries(
  root: string,
  envPath: string,
): { binaries: Partial<Binaries>; missing: string[] } {
  const binaries: Partial<Binaries> = {};
  const missing: string[] = [];
  for (const c of COMPONENTS) {
    const found = locate(root, c, envPath);
    if (found) binaries[c] = found.path;
    else missing.push(c);
  }
  return { binaries, missing };
}

/** Like findBinaries, but a missing binary is a ToolError naming the install command. */
export function requireBinaries(root: string, envPath: string): Binaries {
  const { binaries, missing } = findBinaries(root, envPath);
  if (missing.length > 0) {
    throw new ToolError(
      missing[0] ?? "kwok",
      `failed to find ${missing.join(", ")} for the kwok provider: not in .tools/bin nor on PATH; run ${INSTALL_HINT}`,
    );
  }
  return binaries as Binaries;
}

/**
 * The version kube-apiserver was stamped with at build time ("v1.35.4"). A build without the
 * version ldflags reports v0.0.0-master…, which helm's kubeVersion checks would reject, so it
 * is refused here with the reason.
 */
export async function controlPlaneVersion(runner: Runner, apiserver: string): Promise<string> {
  const { stdout } = await runner.run(apiserver, ["--version"]);
  const version = /v\d+\.\d+\.\d+[\w.+-]*/.exec(stdout)?.[0];
  if (!version || version.startsWith("v0.0.0")) {
    throw new ToolError(
      "kube-apiserver",
      `failed to read the control-plane version: ${apiserver} reports "${stdout.trim()}"; it was built without version ldflags, rebuild it with ${INSTALL_HINT}`,
    );
  }
  return version;
}

/** "1.35.4" and "v1.35.4" both name v1.35.4. */
export function normalizeVersion(v: string): string {
  return v.startsWith("v") ? v : `v${v}`;
}
