/**
 * How `shoppe e2e run` shows readiness: on an interactive terminal, a board with one line per
 * component redrawn in place; in CI logs (or without a TTY) a plain line each time a
 * component's state or reason changes. Warning events are printed as they happen, above the
 * board. Nothing with --quiet or --json but the warnings' count in the results.
 */
import pc from "picocolors";
import type { ComponentView } from "../e2e/readiness/tracker.js";
import type { RunEvent, RunReporter } from "../e2e/run/events.js";
import { type CliIO, type GlobalFlags, useColor } from "./io.js";

const MARK: Record<ComponentView["state"], string> = { waiting: "…", ready: "✓", failed: "✗" };

function line(phase: string, v: ComponentView): string {
  return `${MARK[v.state]} [${phase}] ${v.id}: ${v.state}${v.detail ? ` (${v.detail})` : ""}`;
}

/** The reporter for the CLI's streams and flags. */
export function runReporter(io: CliIO, flags: GlobalFlags): RunReporter {
  if (flags.quiet || flags.json) return () => {};
  const c = useColor(io) ? pc : pc.createColors(false);
  const warn = (e: Extract<RunEvent, { type: "warning" }>) =>
    `${c.yellow("warning event:")} ${e.warning.object}${e.warning.component ? ` (${e.warning.component})` : ""} ${e.warning.reason}: ${e.warning.message}\n`;
  if (io.isTTY && !io.env.CI) {
    let board: string[] = [];
    const erase = () => {
      if (board.length) io.stderr(`\x1b[${board.length}A\x1b[0J`);
    };
    const draw = () => io.stderr(board.map((l) => `${l}\n`).join(""));
    return (e) => {
      erase();
      if (e.type === "warning") io.stderr(warn(e));
      else board = e.views.map((v) => line(e.phase, v));
      draw();
    };
  }
  const last = new Map<string, string>();
  return (e) => {
    if (e.type === "warning") {
      io.stderr(warn(e));
      return;
    }
    for (const v of e.views) {
      const text = line(e.phase, v);
      const k = `${e.phase}/${v.id}`;
      if (last.get(k) !== text) io.stderr(`${text}\n`);
      last.set(k, text);
    }
  };
}
