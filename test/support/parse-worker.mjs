// Node 20 cannot start a worker thread from TypeScript: load tsx here, then the worker itself.
import { tsImport } from "tsx/esm/api";

await tsImport("./parse-timing-worker.ts", import.meta.url);
