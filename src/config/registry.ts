/**
 * Every setting, declared once with one name used three ways: the flag `--<name>`, the
 * environment variable `SHOPPE_<NAME>` and the key `<name>` of the config file `.shoppe.yaml`.
 * Precedence: flag > environment > file > default (chart-testing's `pkg/config` is the model).
 */

/** One setting. */
export interface SettingSpec {
  /** The one name: kebab-case, e.g. `clusters-dir`. */
  name: string;
  /** `path` values are relative to the project root (flag, environment) or to the config file. */
  kind: "path" | "string";
  /** The flag's value placeholder, e.g. `<dir>`. */
  arg: string;
  description: string;
  /** The value when nothing sets it; absent when "unset" means something (no mirror). */
  default?: string;
  /** How help describes the default when another module computes it. */
  defaultText?: string;
}

/** The settings, in the order help and `shoppe doctor` list them. */
export const SETTINGS = [
  {
    name: "mirror",
    kind: "path",
    arg: "<dir>",
    description: "local mirror of the chart repositories (a folder with a mirror.yaml)",
  },
  {
    name: "provider",
    kind: "string",
    arg: "<name>",
    description: "cluster provider: kwok or kind",
    default: "kwok",
  },
  {
    name: "clusters-dir",
    kind: "path",
    arg: "<dir>",
    description: "where local clusters keep their state",
    defaultText: ".shoppe/clusters",
  },
  {
    name: "registry-auth",
    kind: "path",
    arg: "<file>",
    description:
      "registry credentials for outdated, bump and verify: an auths JSON file as docker, skopeo and helm write it; without one, registries are asked anonymously",
  },
  {
    name: "github-repo",
    kind: "string",
    arg: "<owner/name>",
    description:
      "the GitHub repository bump --pr opens pull requests on and release cut publishes to",
    defaultText: "$GITHUB_REPOSITORY",
  },
  {
    name: "github-api",
    kind: "string",
    arg: "<url>",
    description: "the GitHub REST API bump --pr and release talk to",
    defaultText: "$GITHUB_API_URL, else https://api.github.com",
  },
  {
    name: "chart-oci",
    kind: "string",
    arg: "<oci://host/path>",
    description: "the OCI repository release cut pushes the chart to (helm push)",
    defaultText: "oci://ghcr.io/<owner>/charts",
  },
] as const satisfies readonly SettingSpec[];

/** The name of a setting. */
export type SettingName = (typeof SETTINGS)[number]["name"];

/** The spec of a setting. */
export function settingSpec(name: SettingName): SettingSpec {
  return SETTINGS.find((s) => s.name === name) as SettingSpec;
}

/** `clusters-dir` → `SHOPPE_CLUSTERS_DIR`. */
export function envName(name: string): string {
  return `SHOPPE_${name.toUpperCase().replaceAll("-", "_")}`;
}

/** `clusters-dir` → `clustersDir`, the key commander stores the flag's value under. */
export function optionKey(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The flag, environment variable and config key of a setting, for help text. */
export function describeSetting(s: SettingSpec): string {
  const fallback = s.default ?? s.defaultText;
  return `${s.description} (env ${envName(s.name)}, config key ${s.name}${fallback ? `; default ${fallback}` : ""})`;
}
