/**
 * The service tier's launchers, one per component, and the backing services they share. A
 * component without a launcher here is recorded `not-run` with the reason, never passed.
 */
import type { Launcher } from "../launcher.js";
import { jupyterhubLauncher } from "./jupyterhub.js";
import { kubernetesLauncher } from "./kubernetes.js";
import { mlflowLauncher } from "./mlflow.js";
import { postgresqlLauncher } from "./postgresql.js";
import { servicexLauncher } from "./servicex.js";
import { tritonLauncher } from "./triton.js";
import { xcacheLauncher } from "./xcache.js";

/** Every component's launcher. */
export const LAUNCHERS: readonly Launcher[] = [
  xcacheLauncher,
  mlflowLauncher,
  tritonLauncher,
  jupyterhubLauncher,
  servicexLauncher,
];

/** Backing services launchers ask for by name. */
export const SHARED_LAUNCHERS: readonly Launcher[] = [postgresqlLauncher, kubernetesLauncher];
