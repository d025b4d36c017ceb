/**
 * Which kubeconfig file and context the existing provider uses: `--kubeconfig`, else
 * `$KUBECONFIG` (one file), else `~/.kube/config`; `--context`, else the file's current context.
 * Every problem is an InputError (exit 2) naming the file and what to pass instead.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { InputError, UsageError } from "../../../errors.js";

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

/** Loads the file and selects the context; InputError when either is unusable. */
export function loadKubeconfig(
  choice: KubeconfigChoice,
  env: NodeJS.ProcessEnv,
  root: string,
): ResolvedKubeconfig {
  const file = kubeconfigFile(choice, env, root);
  if (!existsSync(file)) {
    throw new InputError(
      `failed to read the kubeconfig ${file}: no such file; pass --kubeconfig <file> of the cluster to test`,
    );
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
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
