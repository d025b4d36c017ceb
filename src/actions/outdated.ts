/**
 * `shoppe outdated`: for every component, the newer releases its chart's source offers at each
 * level and the one its update policy wants. Sources are read concurrently under one limit;
 * a source that is down or hangs is reported on its component's line while the others answer.
 */
import path from "node:path";
import type { Context } from "../context.js";
import { chartSources } from "../helm/repositories.js";
import { loadStack } from "../manifest/load.js";
import { type ComponentUpdates, checkComponent } from "../updates/check.js";
import { Feeds } from "../updates/feeds.js";
import { openUpstream, type UpstreamOptions } from "../updates/upstream.js";

/** Options of `outdated`. */
export interface OutdatedOptions extends UpstreamOptions {
  /** Manifest path, relative to the project root; default stack.yaml. */
  file?: string;
}

/** What `outdated` found. */
export interface OutdatedResult {
  file: string;
  components: ComponentUpdates[];
  /** Some component's policy wants a newer release. */
  outdated: boolean;
  /** Some source could not be read. */
  failed: boolean;
  /** Index bytes that crossed the network (each source once). */
  transferred: number;
}

/** Checks every component of the stack against its chart's source. */
export async function outdated(
  ctx: Context,
  options: OutdatedOptions = {},
): Promise<OutdatedResult> {
  const shown = options.file ?? "stack.yaml";
  const { stack } = await loadStack(path.resolve(ctx.root, shown), { shownAs: shown });
  const { file: _file, ...upstreamOptions } = options;
  const feeds = new Feeds(await openUpstream(ctx, upstreamOptions));
  const sources = chartSources(stack);
  const step = ctx.progress.start(`check ${sources.length} charts for newer releases`);
  const components = await Promise.all(
    Object.entries(stack.components).map(([id, c]) =>
      checkComponent(
        feeds,
        id,
        sources.find((s) => s.component === id),
        c.updates,
      ),
    ),
  );
  const failed = components.some((c) => c.status === "error");
  const perOrigin = new Map(components.map((c) => [c.origin, c.transferred]));
  const transferred = [...perOrigin.values()].reduce((a, b) => a + b, 0);
  const counts = `${components.filter((c) => c.status === "outdated").length} outdated`;
  if (failed) step.fail(counts);
  else step.succeed(counts);
  return {
    file: shown,
    components,
    outdated: components.some((c) => c.status === "outdated"),
    failed,
    transferred,
  };
}
