/**
 * Endpoint URL templates (`root://xcache.{namespace}.svc:1094`): parsing, the parts an
 * endpoint can publish (url, host, host:port, port) and the short in-namespace forms that
 * static chart values can carry. Shared by the manifest rules and the chart generator.
 */
import type { EndpointFormatName } from "./schema.js";

/** A parsed endpoint URL; host and path may still hold {release}/{namespace}. */
export interface EndpointUrl {
  scheme: string;
  host: string;
  /** Explicit port, else the scheme's well-known port; undefined when neither exists. */
  port: number | undefined;
  /** Path including its leading slash, or "". */
  path: string;
}

/** Well-known ports of the schemes facility services use (a Map: schemes are user text). */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ["http", 80],
  ["https", 443],
  ["root", 1094],
  ["xroot", 1094],
]);

const URL_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#\s]+)(?::(\d{1,5}))?(\/[^\s]*)?$/;

/** Parses `scheme://host[:port][/path]`; undefined when the text is not of that shape. */
export function parseEndpointUrl(url: string): EndpointUrl | undefined {
  const m = URL_SHAPE.exec(url);
  if (!m) return undefined;
  const scheme = m[1] as string;
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORTS.get(scheme);
  return { scheme, host: m[2] as string, port, path: m[4] ?? "" };
}

/** The Service name: the first DNS label of the host (`xcache` of `xcache.{namespace}.svc`). */
export function serviceName(u: EndpointUrl): string {
  return u.host.split(".")[0] as string;
}

/** The text an endpoint publishes in the given format, placeholders kept. */
export function formatEndpoint(url: string, format: EndpointFormatName): string {
  const u = parseEndpointUrl(url);
  if (!u) return url;
  return formatParts(u, u.host, url, format);
}

/**
 * The in-namespace form of an endpoint for a static value: the host is the Service name
 * alone (`xcache:1094`), which resolves for any pod in the release namespace.
 */
export function formatShortEndpoint(url: string, format: EndpointFormatName): string {
  const u = parseEndpointUrl(url);
  if (!u) return url;
  const host = serviceName(u);
  const whole = `${u.scheme}://${host}${u.port !== undefined ? `:${u.port}` : ""}${u.path}`;
  return formatParts(u, host, whole, format);
}

function formatParts(u: EndpointUrl, host: string, whole: string, format: EndpointFormatName) {
  switch (format) {
    case "url":
      return whole;
    case "host":
      return host;
    case "hostport":
      return u.port !== undefined ? `${host}:${u.port}` : host;
    case "port":
      return u.port !== undefined ? String(u.port) : "";
  }
}

/** True when the text holds a {release} or {namespace} placeholder. */
export function hasPlaceholder(text: string): boolean {
  return /\{(release|namespace)\}/.test(text);
}
