/**
 * The service tier's access to its services: every Service port the rendered chart declares
 * and a local process serves is a loopback port, and the in-cluster names (`mlflow.<ns>.svc`,
 * `mlflow`, `…svc.cluster.local`) resolve to 127.0.0.1 for the checks' own HTTP agents.
 */
import type { Reached, ServiceAccess } from "../checks/check.js";

const LOOPBACK = "127.0.0.1";

/** One Service port a local process serves. */
export interface LocalPort {
  service: string;
  /** The Service's port, as the chart renders it. */
  port: number;
  /** The loopback port the process listens on instead. */
  local: number;
}

/** See the module comment. */
export class LocalServices implements ServiceAccess {
  readonly via = "local process";
  private readonly ports = new Map<string, number>();
  private readonly params_ = new Map<string, Record<string, string>>();

  constructor(
    private readonly namespace: string,
    private wiring_: Record<string, string>,
  ) {}

  /** The wiring of another rendering (an upgrade). */
  rewire(wiring: Record<string, string>): void {
    this.wiring_ = { ...wiring };
  }

  /** Records that `service` `port` answers on loopback port `local`. */
  serve(p: LocalPort): void {
    this.ports.set(`${p.service}:${p.port}`, p.local);
  }

  /** The `service:port` keys served now. */
  served(): string[] {
    return [...this.ports.keys()];
  }

  /** Forgets every served port but `keep` (the servers behind the others were stopped). */
  retainOnly(keep: ReadonlySet<string>): void {
    for (const k of [...this.ports.keys()]) if (!keep.has(k)) this.ports.delete(k);
  }

  /** What the check of `component` needs (tokens, a file to read), set by its launcher. */
  setParams(component: string, params: Record<string, string>): void {
    this.params_.set(component, { ...this.params_.get(component), ...params });
  }

  /** The loopback port serving `service` `port`, if any. */
  localPort(service: string, port: number): number | undefined {
    return this.ports.get(`${service}:${port}`);
  }

  async reach(service: string, namespace: string, port: number): Promise<Reached> {
    if (namespace !== this.namespace) {
      throw new Error(`Service ${namespace}/${service} is not part of this release`);
    }
    const local = this.ports.get(`${service}:${port}`);
    if (local === undefined) {
      const known = [...this.ports.keys()].filter((k) => k.startsWith(`${service}:`));
      throw new Error(
        known.length > 0
          ? `Service ${service} has no port ${port} here (serves ${known.join(", ")})`
          : `no local process serves Service ${service}`,
      );
    }
    return { name: `${service}.${namespace}.svc`, host: LOOPBACK, port: local };
  }

  /**
   * `text` (a configuration file) with every address of a served Service port (`svc:port`,
   * `svc.<ns>:port`, `svc.<ns>.svc:port`, `…svc.cluster.local:port`) moved to its loopback
   * port: for servers that resolve names themselves and cannot use the checks' lookup. Only
   * the Services named in `only` when given.
   */
  localize(text: string, only?: readonly string[]): string {
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const ns = esc(this.namespace);
    let out = text;
    for (const [key, local] of this.ports) {
      const [service, port] = key.split(":") as [string, string];
      if (only && !only.includes(service)) continue;
      const re = new RegExp(
        `(?<![\\w.-])${esc(service)}(?:\\.${ns}(?:\\.svc(?:\\.cluster\\.local)?)?)?:${port}(?!\\d)`,
        "g",
      );
      out = out.replace(re, `${LOOPBACK}:${local}`);
    }
    return out;
  }

  lookup(hostname: string): string | undefined {
    const labels = hostname.replace(/\.$/, "").split(".");
    const service = labels[0] ?? "";
    const rest = labels.slice(1).join(".");
    const inCluster =
      rest === "" ||
      rest === this.namespace ||
      rest === `${this.namespace}.svc` ||
      rest === `${this.namespace}.svc.cluster.local`;
    if (!inCluster) return undefined;
    return [...this.ports.keys()].some((k) => k.startsWith(`${service}:`)) ? LOOPBACK : undefined;
  }

  async wiring(): Promise<Record<string, string>> {
    return { ...this.wiring_ };
  }

  async params(component: string): Promise<Record<string, string>> {
    return { ...this.params_.get(component) };
  }
}
