/**
 * The chart in an OCI registry (`helm push`), idempotently: the version already there is
 * pulled with the same helm and compared byte for byte; the same archive is done, another one
 * is refused (a published tag is never pushed over), an absent one is pushed and read back.
 * Registry credentials are helm's own (`helm registry login`, HELM_REGISTRY_CONFIG).
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { CheckFailedError, CommandError } from "../../errors.js";
import { sha256 } from "../../helm/deps.js";
import { isLoopback } from "../../oci/reference.js";
import type { Helm } from "../../tools/helm.js";

/** Where the chart goes. */
export interface OciTarget {
  helm: Helm;
  /** `oci://host/path`. */
  repository: string;
  workDir: string;
}

/** Plain HTTP for a registry on this machine (as helm's --plain-http), TLS elsewhere. */
export function plainHttp(repository: string): boolean {
  return isLoopback(repository.replace(/^oci:\/\//, "").split("/")[0] ?? "");
}

/** The sha256 of the archive the registry holds for `name` `version`, or undefined. */
export async function ociArchiveSha256(
  t: OciTarget,
  name: string,
  version: string,
): Promise<string | undefined> {
  const into = await mkdtemp(path.join(t.workDir, "oci-"));
  try {
    await t.helm.pull(`${t.repository}/${name}`, {
      version,
      destination: into,
      plainHttp: plainHttp(t.repository),
    });
    const [file] = await readdir(into);
    return file ? await sha256(path.join(into, file)) : undefined;
  } catch (err) {
    if (err instanceof CommandError && /not found|manifest unknown|404/i.test(err.output))
      return undefined;
    throw err;
  } finally {
    await rm(into, { recursive: true, force: true });
  }
}

/** A description of the pushed chart when the registry has these bytes; refuses other bytes. */
export async function pushedAlready(t: OciTarget, name: string, version: string, sha256: string) {
  const there = await ociArchiveSha256(t, name, version);
  if (there === undefined) return undefined;
  if (there !== sha256) {
    throw new CheckFailedError(
      `failed to push ${name} ${version} to ${t.repository}: the registry already holds ${version} with other bytes (sha256 ${there}, this package ${sha256}); a published tag is never pushed over`,
    );
  }
  return `${t.repository}/${name}:${version} holds this archive`;
}

/** Pushes the archive and reads it back. */
export async function pushChart(
  t: OciTarget,
  archive: string,
  name: string,
  version: string,
  sha256: string,
) {
  await t.helm.push(archive, t.repository, plainHttp(t.repository));
  const back = await ociArchiveSha256(t, name, version);
  if (back !== sha256) {
    throw new CheckFailedError(
      `failed to push ${name} ${version} to ${t.repository}: reading it back gave ${back ?? "nothing"}, not ${sha256}`,
    );
  }
  return `pushed ${t.repository}/${name}:${version}`;
}
