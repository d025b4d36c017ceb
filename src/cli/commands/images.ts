/** `shoppe images`: images the rendered chart deploys, with provenance, and drift from the pins. */
import type { Command } from "commander";
import type { ImagesResult, ProfileImages } from "../../actions/images.js";
import type { Kit } from "../kit.js";
import { type InspectFlags, inspectOptions, inspectSettings } from "../options.js";
import { renderTable } from "../table.js";

/** The action module, loaded when the command runs (a fast start for every other command). */
const actions = () => import("../../actions/images.js");

function profileHuman(p: ProfileImages): string {
  const deployed = renderTable(
    ["image", "component", "deployed by", "pinned as"],
    p.deployed.map((d) => [
      d.image,
      [...new Set(d.uses.map((u) => u.component))].join(", "),
      d.uses.map((u) => `${u.object} ${u.list}/${u.container}`).join("\n"),
      d.pinnedBy.join(", ") || "NOT PINNED",
    ]),
  );
  const parts = [`profile ${p.profile} (Kubernetes ${p.kubeVersion})`, deployed];
  const referenced = p.pins.filter((s) => s.status === "referenced" || s.status === "runtime");
  if (referenced.length > 0) {
    parts.push(
      "pinned images started at run time (referenced by the chart, or started by what it deploys):",
      renderTable(
        ["component", "image", "referenced at"],
        referenced.map((s) => [s.component, s.image, s.where.join("\n")]),
      ),
    );
  }
  const elsewhere = p.pins.filter((s) => s.status === "elsewhere");
  if (elsewhere.length > 0) {
    parts.push(
      "pinned images this profile does not deploy (other profiles do):",
      renderTable(
        ["component", "image", "deployed under"],
        elsewhere.map((s) => [s.component, s.image, s.where.join(", ")]),
      ),
    );
  }
  if (p.unpinned.length > 0) {
    parts.push(
      "DRIFT: deployed but not pinned in stack.yaml:",
      renderTable(
        ["image", "component", "deployed by"],
        p.unpinned.map((d) => [
          d.image,
          [...new Set(d.uses.map((u) => u.component))].join(", "),
          d.uses.map((u) => `${u.object} ${u.path}`).join("\n"),
        ]),
      ),
    );
  }
  if (p.missing.length > 0) {
    parts.push(
      "DRIFT: pinned for an enabled component but not deployed:",
      renderTable(
        ["component", "pin", "image"],
        p.missing.map((s) => [s.component, s.name, s.image]),
      ),
    );
  }
  return parts.join("\n");
}

function human(r: ImagesResult): string {
  const verdict = r.drift ? "image drift found" : "no image drift";
  return `${r.profiles.map(profileHuman).join("\n\n")}\n${verdict}`;
}

/** Registers `images`. */
export function register(program: Command, kit: Kit): void {
  inspectOptions(program.command("images"))
    .description(
      "images the rendered chart deploys per profile, with provenance; exit 1 on drift from stack.yaml",
    )
    .action(async (o: InspectFlags, cmd: Command) => {
      const result = await (await actions()).images(await kit.context(cmd), inspectSettings(o));
      kit.print(cmd, result, human);
      if (result.drift) kit.fail(1);
    });
}
