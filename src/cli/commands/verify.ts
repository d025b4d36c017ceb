/** `shoppe verify`: every pinned chart, image and node image exists; stack.lock records their digests. */
import type { Command } from "commander";
import type { VerifyResult } from "../../actions/verify.js";
import { formatProblem } from "../../updates/problems.js";
import { interruptible } from "../interrupt.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";
import { type UpstreamFlags, upstreamOptions, upstreamSettings } from "../update-options.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/verify.js");

function short(digest: string | undefined): string {
  return digest ? `${digest.slice(0, 19)}…` : "";
}

function platforms(entry: { platforms?: string[] }): string {
  return (entry.platforms ?? []).join(", ");
}

function human(r: VerifyResult): string {
  const rows: string[][] = [];
  for (const n of r.resolved.kubernetes ?? []) {
    const state = n.digest ? short(n.digest) : `unresolved: ${n.unresolved}`;
    rows.push([`kubernetes ${n.version}`, "kind node image", n.image, state, platforms(n)]);
  }
  for (const [id, c] of Object.entries(r.resolved.components)) {
    if (c.chart) {
      const what = c.chart.path ? "first-party chart" : "chart";
      const state = c.chart.path
        ? "in this repository"
        : c.chart.digest
          ? short(c.chart.digest)
          : `unresolved: ${c.chart.unresolved}`;
      rows.push([id, what, `${c.chart.name} ${c.chart.version}`, state, ""]);
    }
    for (const i of c.images) {
      const state = i.digest ? short(i.digest) : `unresolved: ${i.unresolved}`;
      rows.push([id, `image ${i.name}`, i.image, state, platforms(i)]);
    }
  }
  const lines = [renderTable(["component", "artefact", "pin", "digest", "platforms"], rows)];
  for (const p of r.problems) lines.push(formatProblem(p));
  const lock = r.written
    ? `wrote ${r.lockFile}`
    : r.compared
      ? `compared with ${r.lockFile}`
      : `${r.lockFile} is up to date`;
  lines.push(
    `${r.problems.length === 0 ? "every pin verified" : `${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}`}; ${lock}`,
  );
  return lines.join("\n");
}

/** Registers `verify`. */
export function register(program: Command, kit: Kit): void {
  upstreamOptions(
    program.command("verify"),
    "read the chart repositories it stands for from this mirror (their published digests)",
  )
    .description(
      "check that every pinned chart, image and kind node image exists (digests, image platforms); write stack.lock, or fail on drift from it",
    )
    .option("--lock <path>", "lock file (default stack.lock beside the manifest)")
    .option("--update-lock", "rewrite the lock from this run instead of comparing with it")
    .option(
      "--allow-unresolved",
      "exit 0 when the only problems are artefacts that could not be checked",
    )
    .action(
      async (
        o: UpstreamFlags & { lock?: string; updateLock?: boolean; allowUnresolved?: boolean },
        cmd: Command,
      ) => {
        const options = await upstreamSettings(kit, cmd, o);
        const ctx = await kit.context(cmd);
        const result = await interruptible(async (signal) =>
          (await actions()).verify(ctx, {
            ...options,
            ...(o.lock ? { lock: o.lock } : {}),
            updateLock: Boolean(o.updateLock),
            signal,
          }),
        );
        kit.print(cmd, result, human);
        const failing = result.problems.filter(
          (p) => !(o.allowUnresolved && p.kind === "unresolved"),
        );
        if (failing.length > 0) kit.fail(1);
      },
    );
}
