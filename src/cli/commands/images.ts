/** `shoppe images`: images the rendered chart deploys, with provenance, and drift from the pins. */
import type { Command } from "commander";
import { type ImagesResult, images, type ProfileImages } from "../../actions/images.js";
import type { Kit } from "../kit.js";
import { renderTable } from "../table.js";
import { helmMajor } from "./chart.js";

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
  const referenced = p.pins.filter((s) => s.status === "referenced");
  if (referenced.length > 0) {
    parts.push(
      "pinned images started at run time (referenced, not run by the chart):",
      renderTable(
        ["component", "image", "referenced at"],
        referenced.map((s) => [s.component, s.image, s.where.join("\n")]),
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
  program
    .command("images")
    .description(
      "images the rendered chart deploys per profile, with provenance; exit 1 on drift from stack.yaml",
    )
    .option("-f, --file <path>", "stack manifest", "stack.yaml")
    .option("--chart-dir <dir>", "rendered umbrella chart (default charts/<release name>)")
    .option("-p, --profile <name>", "only this profile")
    .option(
      "--kube-version <version>",
      "Kubernetes version to render for (default: newest supported)",
    )
    .option("--helm <major>", "helm major to run: v4 (default) or v3")
    .action(
      async (
        o: {
          file: string;
          chartDir?: string;
          profile?: string;
          kubeVersion?: string;
          helm?: string;
        },
        cmd: Command,
      ) => {
        const result = await images(kit.context(cmd), {
          file: o.file,
          chartDir: o.chartDir,
          profile: o.profile,
          kubeVersion: o.kubeVersion,
          major: helmMajor(o.helm),
        });
        kit.print(cmd, result, human);
        if (result.drift) kit.fail(1);
      },
    );
}
