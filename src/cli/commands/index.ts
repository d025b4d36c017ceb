/** The command table: each module registers one command (or one group) on the program. */
import type { Command } from "commander";
import type { Kit } from "../kit.js";
import * as chart from "./chart.js";
import * as cluster from "./cluster.js";
import * as doctor from "./doctor.js";
import * as images from "./images.js";
import * as render from "./render.js";
import * as resources from "./resources.js";
import * as validate from "./validate.js";

const COMMANDS: { register(program: Command, kit: Kit): void }[] = [
  validate,
  doctor,
  cluster,
  render,
  chart,
  images,
  resources,
];

/** Registers every command. */
export function registerCommands(program: Command, kit: Kit): void {
  for (const c of COMMANDS) c.register(program, kit);
}
