/**
 * Which kubeconfig file and context the existing provider uses: `--kubeconfig`, else
 * `$KUBECONFIG` (one file), else `~/.kube/config`; `--context`, else the file's current context.
 * Every problem is an InputError (exit 2) naming the file and what to pass instead, and so is
 * a cluster that does not answer.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { InputError, UsageError } from "../../../errors.js";
import { readInputText } from "../../../io/read-input.js";

/** What the user named. */
export interface KubeconfigChoice {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** A loaded kubeconfig with the chosen context current. */
export interface ResolvedKubeconfig {
  /** Absolute path of the file. */
  file: string;
  context: string;
  kc: KubeConfig;
}

/** The kubeconfig file to read, absolute. */
export function kubeconfigFile(
  choice: KubeconfigChoice,
  env: NodeJS.ProcessEnv,
  root: string,
): string {
  if (choice.kubeconfig) return path.resolve(root, choice.kubeconfig);
  const fromEnv = (env.KUBECONFIG ?? "").split(path.delimiter).filter(Boolean);
  if (fromEnv.length > 1) {
    throw new UsageError(
      `KUBECONFIG names ${fromEnv.length} files; the existing provider reads one: pass --kubeconfig <file>`,
    );
  }
  if (fromEnv[0]) return path.resolve(root, fromEnv[0]);
  if (!env.HOME)
    throw new UsageError("no kubeconfig: pass --kubeconfig <file> (HOME and KUBECONFIG are unset)");
  return path.join(env.HOME, ".kube", "config");
}

/**
 * Loads the file and selects the context; InputError when either is unusable. Read as every
 * input is (src/io/read-input.ts): a FIFO or a device is refused rather than waited on.
 */
export async function loadKubeconfig(
  choice: KubeconfigChoice,
  env: NodeJS.ProcessEnv,
  root: string,
): Promise<ResolvedKubeconfig> {
  const file = kubeconfigFile(choice, env, root);
  if (!existsSync(file)) {
    throw new InputError(
      `failed to read the kubeconfig ${file}: no such file; pass --kubeconfig <file> of the cluster to test`,
    );
  }
  const text = await readInputText(file, { shown: `the kubeconfig ${file}` });
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
    // As loadFromFile does: certificate and key paths are relative to the kubeconfig.
    kc.makePathsAbsolute(path.dirname(file));
  } catch (err) {
    throw new InputError(
      `failed to read the kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const context = choice.context ?? kc.getCurrentContext();
  const known = kc.getContexts().map((c) => c.name);
  if (!context || !known.includes(context)) {
    const what = context ? `has no context "${context}"` : "has no current context";
    throw new InputError(
      `failed to use the kubeconfig ${file}: it ${what} (contexts: ${known.join(", ") || "none"}); pass --context <name>`,
    );
  }
  kc.setCurrentContext(context);
  return { file, context, kc };
}

/** How long reaching the cluster may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 15_000;

/** `p`, or a rejection when it takes longer than CONNECT_TIMEOUT_MS. */
export function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000}s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The innermost message of a network failure (ECONNREFUSED, certificate errors). */
function reasonOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** The version the cluster serves (e.g. "v1.35.4"); InputError when it does not answer. */
export async function servedVersion(config: ResolvedKubeconfig): Promise<string> {
  const server = config.kc.getCurrentCluster()?.server ?? "";
  try {
    return (await withTimeout(config.kc.makeApiClient(VersionApi).getCode())).gitVersion;
  } catch (err) {
    throw new InputError(
      `failed to reach the cluster of context "${config.context}" at ${server || "(no server)"}: ${reasonOf(err)}; check --kubeconfig and --context, and that the cluster is up`,
    );
  }
}
