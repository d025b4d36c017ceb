/**
 * The one registry of checks `shoppe e2e run` calls: smoke checks after readiness, upgrade
 * checks around `--upgrade-from`. The smoke-check work adds each component's checks here;
 * the run calls those of enabled components and the INTEGRATION ones.
 */
import type { Check, UpgradeCheck } from "./check.js";
import { INTEGRATION } from "./check.js";
import { claimsKept } from "./claims-kept.js";
import { endpointsReady } from "./endpoints-ready.js";
import { jupyterhubSpawn } from "./jupyterhub.js";
import { mlflowRunKept, mlflowTracking } from "./mlflow.js";
import { servicexTransform } from "./servicex.js";
import { tritonInference } from "./triton.js";
import { wiringAnswers } from "./wiring-answers.js";
import { xcacheRead } from "./xcache.js";

/** Every registered check and upgrade check. */
export interface CheckRegistry {
  checks: readonly Check[];
  upgradeChecks: readonly UpgradeCheck[];
}

/** The registry the CLI runs. */
export const CHECKS: CheckRegistry = {
  checks: [
    endpointsReady,
    xcacheRead,
    mlflowTracking,
    tritonInference,
    jupyterhubSpawn,
    servicexTransform,
    wiringAnswers,
  ],
  upgradeChecks: [claimsKept as UpgradeCheck, mlflowRunKept as UpgradeCheck],
};

/** The checks of a registry that apply to a release with these components enabled. */
export function applicable<T extends { component: string }>(
  list: readonly T[],
  enabled: Record<string, boolean>,
): T[] {
  return list.filter((c) => c.component === INTEGRATION || enabled[c.component] === true);
}
