/** The command table: each module registers one command (or one group) on the program. */
import type { Command } from "commander";
import type { Kit } from "../kit.js";
import * as badge from "./badge.js";
import * as bump from "./bump.js";
import * as chart from "./chart.js";
import * as cluster from "./cluster.js";
import * as doctor from "./doctor.js";
import * as e2e from "./e2e.js";
import * as images from "./images.js";
import * as matrix from "./matrix.js";
import * as mirror from "./mirror.js";
import * as outdated from "./outdated.js";
import * as release from "./release.js";
import * as render from "./render.js";
import * as resources from "./resources.js";
import * as supportBundle from "./support-bundle.js";
import * as validate from "./validate.js";
import * as verify from "./verify.js";

// In the order `shoppe --help` lists them: the release workflow first, then local helpers.
const COMMANDS: { register(program: Command, kit: Kit): void }[] = [
  validate,
  render,
  chart,
  mirror,
  images,
  resources,
  verify,
  outdated,
  bump,
  release,
  cluster,
  e2e,
  badge,
  matrix,
  supportBundle,
  doctor,
];

/** Registers every command. */
export function registerCommands(program: Command, kit: Kit): void {
  for (const c of COMMANDS) c.register(program, kit);
}
