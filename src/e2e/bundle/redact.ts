/**
 * The redaction pass over Kubernetes objects before they go into a bundle: Secret `data` and
 * `stringData` values, the last-applied-configuration annotation (a copy of the object as
 * applied, Secrets included) and container environment values whose names look secret. The
 * values found are also handed to the project's Redactor, so they are masked wherever else
 * they appear (logs, ConfigMaps, events).
 */
import type { Redactor } from "../../exec/redact.js";

/** What a redacted value becomes. */
export const MASK = "***";

/** Environment variable names whose values are secrets. */
const SECRET_NAME =
  /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Registers a secret value (and its lines and base64 form) with the redactor. */
export function registerSecret(redactor: Redactor, value: string): void {
  if (!value) return;
  redactor.add(value);
  redactor.add(Buffer.from(value).toString("base64"));
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 12) redactor.add(line.trim());
}

/** The values of a Secret object (decoded `data`, and `stringData`). */
export function secretValues(secret: Json): string[] {
  if (!isObject(secret)) return [];
  const out: string[] = [];
  const data = secret.data;
  if (isObject(data)) {
    for (const v of Object.values(data)) {
      if (typeof v === "string") out.push(v, Buffer.from(v, "base64").toString("utf8"));
    }
  }
  const stringData = secret.stringData;
  if (isObject(stringData))
    for (const v of Object.values(stringData)) if (typeof v === "string") out.push(v);
  return out;
}

function maskValues(map: Json): Json {
  if (!isObject(map)) return map;
  return Object.fromEntries(Object.keys(map).map((k) => [k, MASK]));
}

/** Walks an object, masking secret-looking env values; registers each with the redactor. */
function walk(v: Json, redactor: Redactor): Json {
  // The client deserialises timestamps to Dates; YAML should show them as written.
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => walk(x, redactor));
  if (!isObject(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "env" && Array.isArray(x)) {
      out[k] = x.map((e) => {
        if (
          isObject(e) &&
          typeof e.name === "string" &&
          typeof e.value === "string" &&
          SECRET_NAME.test(e.name)
        ) {
          registerSecret(redactor, e.value);
          return { ...e, value: MASK };
        }
        return walk(e, redactor);
      });
    } else out[k] = walk(x, redactor);
  }
  return out;
}

/** A copy of a Kubernetes object with every secret value masked (see the module comment). */
export function redactObject(obj: Json, redactor: Redactor): Json {
  if (!isObject(obj)) return obj;
  let o: Record<string, Json> = { ...obj };
  if (o.kind === "Secret") {
    for (const v of secretValues(o)) registerSecret(redactor, v);
    o = { ...o, data: maskValues(o.data), stringData: maskValues(o.stringData) };
    if (o.stringData === undefined) delete o.stringData;
    if (o.data === undefined) delete o.data;
  }
  const meta = o.metadata;
  if (isObject(meta)) {
    const { managedFields: _noise, ...rest } = meta;
    const annotations = rest.annotations;
    o.metadata =
      isObject(annotations) && LAST_APPLIED in annotations
        ? { ...rest, annotations: { ...annotations, [LAST_APPLIED]: MASK } }
        : rest;
  }
  return walk(o, redactor);
}
