import { defineConfig } from "vitest/config";

// Integration tests start real helm, registries and control planes: give them room, and run
// files in parallel only up to the two cores CI has.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    maxWorkers: 2,
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
