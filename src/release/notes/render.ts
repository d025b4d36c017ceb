/**
 * Renders a release's texts from its data: the release notes, the announcement, the
 * changelog entry, and the `artifacthub.io/changes` entries (checked against their model).
 * Runs of blank lines the templates' conditionals leave are closed up, so the output reads
 * the same whichever sections a release has.
 */
import type { ArtifactHubChange } from "../../chart/chart-yaml.js";
import { parseChanges } from "../changes-file.js";
import type { NotesData } from "./data.js";
import type { TemplateSet } from "./templates.js";

/** The rendered texts of one release. */
export interface ReleaseTexts {
  notes: string;
  announcement: string;
  changelogEntry: string;
  changes: ArtifactHubChange[];
}

/**
 * Trailing spaces off, a blank line before every heading, at most one blank line in a row
 * (outside code blocks), one final newline.
 */
export function tidy(text: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[ \t]+$/, "");
    if (/^```/.test(line)) fenced = !fenced;
    if (!fenced && line === "" && (out.length === 0 || out.at(-1) === "")) continue;
    if (!fenced && /^#{1,6} /.test(line) && out.length > 0 && out.at(-1) !== "") out.push("");
    out.push(line);
  }
  while (out.at(-1) === "") out.pop();
  return `${out.join("\n")}\n`;
}

/** Renders every text of the release. */
export function renderTexts(t: TemplateSet, data: NotesData): ReleaseTexts {
  return {
    notes: tidy(t.render("release-notes.md.hbs", data)),
    announcement: tidy(t.render("announcement.md.hbs", data)),
    changelogEntry: tidy(t.render("changelog-entry.md.hbs", data)),
    changes: parseChanges(
      t.render("artifacthub-changes.yaml.hbs", data),
      t.origins["artifacthub-changes.yaml.hbs"],
    ),
  };
}
