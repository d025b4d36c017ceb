/**
 * The support desk: the issue forms are valid GitHub issue forms (the keys and element types
 * GitHub accepts, unique ids, labels, options), the bug report asks for the support bundle and
 * `shoppe doctor --json` (required), blank issues are off, and SUPPORT.md points at each form.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { ROOT } from "../helpers/tools.js";

const DIR = path.join(ROOT, ".github/ISSUE_TEMPLATE");

const Validations = z.strictObject({ required: z.boolean() }).optional();
/** GitHub's issue-form schema, for the element types these forms use. */
const Element = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("markdown"),
    attributes: z.strictObject({ value: z.string().min(1) }),
  }),
  z.strictObject({
    type: z.enum(["input", "textarea"]),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    attributes: z.strictObject({
      label: z.string().min(1),
      description: z.string().optional(),
      placeholder: z.string().optional(),
      value: z.string().optional(),
      render: z.string().optional(),
    }),
    validations: Validations,
  }),
  z.strictObject({
    type: z.literal("dropdown"),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    attributes: z.strictObject({
      label: z.string().min(1),
      description: z.string().optional(),
      options: z.array(z.string().min(1)).min(1),
      multiple: z.boolean().optional(),
    }),
    validations: Validations,
  }),
  z.strictObject({
    type: z.literal("checkboxes"),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    attributes: z.strictObject({
      label: z.string().min(1),
      description: z.string().optional(),
      options: z
        .array(z.strictObject({ label: z.string().min(1), required: z.boolean().optional() }))
        .min(1),
    }),
  }),
]);
const Form = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  title: z.string().optional(),
  labels: z.array(z.string()).optional(),
  assignees: z.array(z.string()).optional(),
  body: z.array(Element).min(1),
});

const forms = readdirSync(DIR)
  .filter((f) => f.endsWith(".yml") && f !== "config.yml")
  .sort();
const form = (f: string) => Form.parse(parse(readFileSync(path.join(DIR, f), "utf8")));

describe(".github/ISSUE_TEMPLATE", () => {
  it("has the three forms, each valid, with unique ids", () => {
    expect(forms).toEqual(["bug-report.yml", "component-update.yml", "release-request.yml"]);
    for (const f of forms) {
      const ids = form(f).body.flatMap((e) => ("id" in e ? [e.id] : []));
      expect(new Set(ids).size, f).toBe(ids.length);
    }
  });

  it("asks a bug report for the support bundle and shoppe doctor --json, both required", () => {
    const body = form("bug-report.yml").body;
    const field = (id: string) =>
      body.flatMap((e) => ("validations" in e && e.id === id ? [e] : []))[0];
    for (const id of ["bundle", "doctor", "release", "kubernetes"]) {
      expect(field(id)?.validations?.required, id).toBe(true);
    }
    expect(JSON.stringify(field("bundle"))).toContain("npx shoppe support-bundle");
    expect(JSON.stringify(field("doctor"))).toContain("npx shoppe doctor --json");
  });

  it("turns blank issues off and links security reports and SUPPORT.md", () => {
    const config = parse(readFileSync(path.join(DIR, "config.yml"), "utf8"));
    expect(config.blank_issues_enabled).toBe(false);
    expect(config.contact_links.map((l: { url: string }) => l.url)).toEqual([
      "https://github.com/CoffeaTeam/coffea-shoppe/security/advisories/new",
      "https://github.com/CoffeaTeam/coffea-shoppe/blob/main/SUPPORT.md",
    ]);
    const support = readFileSync(path.join(ROOT, "SUPPORT.md"), "utf8");
    for (const f of forms) expect(support).toContain(`**${form(f).name}**`);
  });
});
